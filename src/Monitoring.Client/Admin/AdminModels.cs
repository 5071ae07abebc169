namespace Monitoring.Client.Admin;

// The admin API's JSON shapes (camelCase on the wire), as the server's Security/AdminApi.cs defines them.

public sealed record UserInfo(string Id, string UserName, string Role, DateTimeOffset CreatedAt, bool LockedOut);

public sealed record CreateUserRequest(string UserName, string Password, string Role);

/// <summary>Null members are left out of the body: the server leaves those unchanged.</summary>
public sealed record UpdateUserRequest(string? Role = null, string? Password = null);

public sealed record ApiKeyInfo(long Id, string Name, string Scope, string Prefix, string? CreatedBy, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, bool Revoked, string? Key = null);

public sealed record CreateApiKeyRequest(string Name, string Scope, DateTimeOffset? ExpiresAt);

public sealed record DisplayLinkInfo(long Id, string Name, long? DashboardId, string? CreatedBy, DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt, bool Revoked, string? Url = null);

public sealed record CreateDisplayLinkRequest(string Name, long? DashboardId = null);

public sealed record AuditEntry(long Id, DateTimeOffset At, string ActorType, string Actor, string Action, string? Target,
    string? Detail, string? RemoteIp, string? RequestId, bool Success);

/// <summary>API key scopes and what each one allows, in the order the create dialog offers them.</summary>
public static class ApiKeyScopes
{
    public static readonly IReadOnlyList<(string Scope, string Description)> All =
    [
        ("read", "read everything"),
        ("ingest", "push metrics and events"),
        ("operate", "read, acknowledge, change services and incidents"),
        ("admin", "everything, including users and keys"),
    ];
}
