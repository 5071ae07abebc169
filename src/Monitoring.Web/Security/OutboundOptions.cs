namespace Monitoring.Web.Security;

/// <summary>
/// Which addresses checks (and anything else that connects out through <see cref="OutboundPolicy"/>)
/// may reach (<c>Monitoring:Outbound</c>). A monitoring server is told the internal addresses of
/// everything its owner runs, so whoever can add a monitor must not be able to use it to reach
/// what the owner never meant to expose (SSRF): cloud metadata, link-local services, ...
/// </summary>
/// <remarks>
/// Evaluated per resolved address, after DNS and on every redirect hop, in this order:
/// <list type="number">
/// <item><see cref="AllowedRanges"/> → allowed (wins over everything below).</item>
/// <item>Always blocked: cloud metadata (169.254.169.254, fd00:ec2::254, 100.100.100.200,
/// 168.63.129.16), link-local (169.254.0.0/16, fe80::/10), unspecified (0.0.0.0/8, ::),
/// multicast (224.0.0.0/4, ff00::/8), reserved and broadcast (240.0.0.0/4).</item>
/// <item>Loopback (127.0.0.0/8, ::1) → blocked unless <see cref="AllowLoopback"/>.</item>
/// <item>Private (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, fec0::/10) → blocked when <see cref="BlockPrivateRanges"/>.</item>
/// <item><see cref="BlockedRanges"/> → blocked.</item>
/// <item>Anything else → allowed.</item>
/// </list>
/// IPv4-mapped IPv6 addresses (<c>::ffff:a.b.c.d</c>) are judged as the IPv4 address they carry.
/// </remarks>
public sealed class OutboundOptions
{
    /// <summary>
    /// Also block private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7). Off by default
    /// because monitoring internal services is the common case; turn it on when people who may add
    /// monitors should not see into the internal network.
    /// </summary>
    public bool BlockPrivateRanges { get; set; }

    /// <summary>
    /// Whether 127.0.0.0/8 and ::1 may be reached. On by default: checking services on the same
    /// host is common. Turn it off when the server itself runs things that must not be poked at
    /// (its own admin endpoints, a local database, a sidecar).
    /// </summary>
    public bool AllowLoopback { get; set; } = true;

    /// <summary>Extra ranges to block (CIDR or single address), e.g. a management network.</summary>
    public List<string> BlockedRanges { get; set; } = [];

    /// <summary>
    /// Ranges that are always allowed, even when a rule above blocks them, e.g. a device on a
    /// 169.254 address someone really wants to watch. Keep them narrow.
    /// </summary>
    public List<string> AllowedRanges { get; set; } = [];
}
