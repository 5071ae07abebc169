using Microsoft.AspNetCore.Identity;

namespace Monitoring.Web.Security;

public sealed class AppUser : IdentityUser
{
    public long CreatedAtMs { get; set; }
}

/// <summary>An integration key. Only a SHA-256 of the secret is stored; <see cref="Prefix"/> finds the row.</summary>
public sealed class ApiKeyEntity
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required byte[] Hash { get; set; }
    /// <summary>read | ingest | operate | admin</summary>
    public required string Scope { get; set; }
    public string? CreatedBy { get; set; }
    public long CreatedAtMs { get; set; }
    public long? ExpiresAtMs { get; set; }
    public long? LastUsedAtMs { get; set; }
    public long? RevokedAtMs { get; set; }
}

/// <summary>A read-only link for a wall screen; works without a user session until revoked.</summary>
public sealed class DisplayLinkEntity
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required byte[] Hash { get; set; }
    public long? DashboardId { get; set; }
    public string? CreatedBy { get; set; }
    public long CreatedAtMs { get; set; }
    public long? LastUsedAtMs { get; set; }
    public long? RevokedAtMs { get; set; }
}

/// <summary>Who did what, when, from where.</summary>
public sealed class AuditEntryEntity
{
    public long Id { get; set; }
    public long AtMs { get; set; }
    /// <summary>user | apikey | display | system | anonymous</summary>
    public required string ActorType { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public string? Target { get; set; }
    public string? Detail { get; set; }
    public string? RemoteIp { get; set; }
    public string? RequestId { get; set; }
    public bool Success { get; set; } = true;
}
