namespace Monitoring.Web.Security;

/// <summary>The three roles, from least to most power.</summary>
public static class Roles
{
    public const string Viewer = "Viewer";
    public const string Operator = "Operator";
    public const string Admin = "Admin";
    public static readonly string[] All = [Viewer, Operator, Admin];

    /// <summary>Roles a role implies (an Admin may do everything an Operator may, and so on).</summary>
    public static string[] Implied(string role) => role switch
    {
        Admin => [Viewer, Operator, Admin],
        Operator => [Viewer, Operator],
        Viewer => [Viewer],
        _ => [],
    };

    public static string? Normalize(string? role) => All.FirstOrDefault(r => string.Equals(r, role, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Authorization policy names used on endpoints.</summary>
public static class Policies
{
    /// <summary>Reads anything: Viewer and up, read/operate/admin keys, display links.</summary>
    public const string CanRead = "CanRead";
    /// <summary>Changes services, incidents, silences; acknowledges: Operator and up, operate/admin keys.</summary>
    public const string CanOperate = "CanOperate";
    /// <summary>Users, keys, channels, display links, settings, Hangfire: Admin, admin keys.</summary>
    public const string CanAdmin = "CanAdmin";
    /// <summary>Pushes metrics and events: ingest/admin keys and Operators.</summary>
    public const string CanIngest = "CanIngest";
}

/// <summary>API key scopes and what they grant.</summary>
public static class ApiKeyScopes
{
    public const string Read = "read";
    public const string Ingest = "ingest";
    public const string Operate = "operate";
    public const string Admin = "admin";
    public static readonly string[] All = [Read, Ingest, Operate, Admin];

    /// <summary>Role claims a key of this scope carries.</summary>
    public static string[] Roles(string scope) => scope switch
    {
        Admin => Security.Roles.Implied(Security.Roles.Admin),
        Operate => Security.Roles.Implied(Security.Roles.Operator),
        Read => Security.Roles.Implied(Security.Roles.Viewer),
        _ => [],
    };
}

public static class MonitoringClaims
{
    public const string ActorType = "monitoring:actor_type";
    public const string Scope = "monitoring:scope";
    public const string KeyId = "monitoring:key_id";
    public const string DisplayLinkId = "monitoring:display_link";
}

/// <summary>Authentication scheme names.</summary>
public static class Schemes
{
    public const string Selector = "Monitoring";
    public const string ApiKey = "ApiKey";
    public const string Display = "Display";
    public const string ApiKeyHeader = "X-Api-Key";
}
