namespace Monitoring.Client.Tests;

/// <summary>Builds the account and admin API's JSON bodies for tests (the server's camelCase shapes).</summary>
public static class AdminData
{
    public const string Me = "api/v1/account/me";
    public const string Users = "api/v1/users";
    public const string ApiKeys = "api/v1/api-keys";
    public const string DisplayLinks = "api/v1/display-links";
    public const string Audit = "api/v1/audit";

    public static readonly DateTimeOffset CreatedAt = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    public static object Account(string name, params string[] roles) => new { name, actorType = "user", roles, scope = (string?)null };

    public static object AdminAccount(string name = "admin") => Account(name, "Viewer", "Operator", "Admin");

    public static object ViewerAccount(string name = "vera") => Account(name, "Viewer");

    public static object User(string id, string userName, string role = "Viewer", bool lockedOut = false) =>
        new { id, userName, role, createdAt = CreatedAt, lockedOut };

    public static object ApiKey(long id, string name, string scope = "read", bool revoked = false, string? key = null, DateTimeOffset? expiresAt = null) =>
        new { id, name, scope, prefix = $"{id:x12}", createdBy = "admin", createdAt = CreatedAt, expiresAt, lastUsedAt = (DateTimeOffset?)null, revoked, key };

    public static object DisplayLink(long id, string name, bool revoked = false, string? url = null) =>
        new { id, name, dashboardId = (long?)null, createdBy = "admin", createdAt = CreatedAt, lastUsedAt = (DateTimeOffset?)null, revoked, url };

    public static object AuditEntry(long id, string actor, string action, bool success = true, string? detail = null) =>
        new { id, at = CreatedAt.AddMinutes(id), actorType = "user", actor, action, target = $"target:{id}", detail, remoteIp = "127.0.0.1", requestId = $"req-{id}", success };
}
