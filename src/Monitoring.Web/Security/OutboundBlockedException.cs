namespace Monitoring.Web.Security;

/// <summary>
/// A connection the <see cref="OutboundPolicy"/> refused before any socket was opened. The
/// message is meant for the check result as it is: it names the address and the rule.
/// </summary>
public sealed class OutboundBlockedException : Exception
{
    public OutboundBlockedException(string? host, IReadOnlyList<string> reasons)
        : base($"Blocked by the outbound policy: {string.Join("; ", reasons)}{(host is null ? "" : $" (resolved from {host})")}.")
    {
        Host = host;
        Reasons = reasons;
    }

    /// <summary>The host name that resolved to the blocked addresses; null for an IP literal.</summary>
    public string? Host { get; }

    /// <summary>One entry per blocked address, e.g. "169.254.169.254 is link-local/cloud metadata".</summary>
    public IReadOnlyList<string> Reasons { get; }
}
