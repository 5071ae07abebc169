using System.ComponentModel.DataAnnotations;

namespace Monitoring.Web.Security;

/// <summary><c>Monitoring:Security</c>, <c>Monitoring:Admin</c> and <c>Monitoring:Bootstrap</c>.</summary>
public sealed class SecurityOptions
{
    /// <summary>Who may scrape /metrics: Open, ApiKey (any valid key or user), or Off (404).</summary>
    public MetricsAccess MetricsAccess { get; set; } = MetricsAccess.Open;

    /// <summary>How often a session cookie is re-checked against the user's security stamp (0 = every request).</summary>
    [Range(0, 3600)]
    public int SessionRevalidateSeconds { get; set; }

    [Range(1, 365)]
    public int SessionDays { get; set; } = 7;

    [Range(8, 128)]
    public int MinPasswordLength { get; set; } = 12;
}

public enum MetricsAccess { Open, ApiKey, Off }

public sealed class AdminSeedOptions
{
    /// <summary>When set with a password and no user exists yet, this admin is created at start.</summary>
    public string? UserName { get; set; }
    public string? Password { get; set; }
}

public sealed class BootstrapOptions
{
    /// <summary>An admin-scope API key for automated set-ups (at least 32 characters).</summary>
    [MinLength(32)]
    public string? ApiKey { get; set; }
}
