namespace Monitoring.Web.Security;

/// <summary>Which addresses checks and webhooks may reach (<c>Monitoring:Outbound</c>).</summary>
public sealed class OutboundOptions
{
    /// <summary>Also block private ranges (10/8, 172.16/12, 192.168/16, fc00::/7). Link-local and cloud metadata are always blocked unless allowed below.</summary>
    public bool BlockPrivateRanges { get; set; }
}
