using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;

namespace Monitoring.Web.Security;

/// <summary>
/// Decides which addresses outbound connections may go to (see <see cref="OutboundOptions"/> for
/// the rules) and makes those connections, so the decision is taken on the address actually
/// connected to: after DNS (a harmless-looking name can resolve to 169.254.169.254), on every
/// redirect hop (each hop opens its connection here) and without a second lookup in between
/// (DNS rebinding cannot swap the address after the check).
/// </summary>
/// <remarks>
/// When a name resolves to several addresses, only the allowed ones are tried; if none is
/// allowed the connection fails with <see cref="OutboundBlockedException"/> before any socket is
/// opened. Every outbound path must go through <see cref="ConnectAsync"/> (sockets) or
/// <see cref="ConnectCallback"/> (a <see cref="SocketsHttpHandler"/> with no proxy).
/// </remarks>
public sealed class OutboundPolicy
{
    private const string Key = "Monitoring:Outbound";

    private readonly (OutboundCidr Range, string Text)[] _allowed;
    private readonly (OutboundCidr Range, string Reason)[] _blocked;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    private static readonly OutboundCidr s_nat64 = OutboundCidr.Parse("64:ff9b::/96");

    public OutboundPolicy(OutboundOptions options) : this(options, resolve: null) { }

    /// <param name="resolve">Replaces the system resolver (tests: a name that resolves to a blocked address without real DNS).</param>
    internal OutboundPolicy(OutboundOptions options, Func<string, CancellationToken, Task<IPAddress[]>>? resolve)
    {
        _resolve = resolve ?? ((host, ct) => Dns.GetHostAddressesAsync(host, ct));
        _allowed = [.. options.AllowedRanges.Select(r => (OutboundCidr.Parse(r), r.Trim()))];

        var blocked = new List<(OutboundCidr, string)>();
        void Block(string reason, params string[] ranges) => blocked.AddRange(ranges.Select(r => (OutboundCidr.Parse(r), reason)));

        // Most specific first: only the reason in the message depends on the order.
        Block("link-local/cloud metadata", "169.254.169.254");
        Block("cloud metadata", "fd00:ec2::254", "100.100.100.200", "168.63.129.16");
        Block("link-local", "169.254.0.0/16", "fe80::/10");
        Block("unspecified (reaches this host)", "0.0.0.0/8", "::/128");
        Block("multicast", "224.0.0.0/4", "ff00::/8");
        Block("reserved/broadcast", "240.0.0.0/4");
        if (!options.AllowLoopback) Block($"loopback ({Key}:AllowLoopback is false)", "127.0.0.0/8", "::1");
        if (options.BlockPrivateRanges)
            Block($"private ({Key}:BlockPrivateRanges is true)", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7", "fec0::/10");
        foreach (var range in options.BlockedRanges) Block($"in {Key}:BlockedRanges ({range.Trim()})", range);
        _blocked = [.. blocked];
    }

    /// <summary>The built-in rules with no configuration: for callers outside DI (tests, one-offs).</summary>
    public static OutboundPolicy Default { get; } = new(new OutboundOptions());

    /// <summary>
    /// Test hook, called with every endpoint right before a socket connects to it (after the
    /// policy allowed it). Tests use it to refuse anything but loopback, so a policy bug fails
    /// the test instead of sending traffic anywhere.
    /// </summary>
    internal Action<IPEndPoint>? ConnectAttempt { get; set; }

    /// <summary>
    /// Whether a connection to <paramref name="address"/> is allowed. <paramref name="reason"/>
    /// says why not (e.g. "169.254.169.254 is link-local/cloud metadata"), or which allowed
    /// range let it through; empty when nothing matched and it is allowed by default.
    /// </summary>
    public bool IsAllowed(IPAddress address, out string reason)
    {
        var normalized = OutboundCidr.Normalize(address);
        var allowed = Judge(normalized, out var why);
        reason = why.Length == 0 ? "" : $"{normalized} is {why}";
        return allowed;
    }

    /// <summary><see cref="IsAllowed"/> on a normalised address; <paramref name="why"/> without the address.</summary>
    private bool Judge(IPAddress normalized, out string why)
    {
        foreach (var (range, text) in _allowed)
        {
            if (!range.Contains(normalized)) continue;
            why = $"in {Key}:AllowedRanges ({text})";
            return true;
        }
        foreach (var (range, reason) in _blocked)
        {
            if (!range.Contains(normalized)) continue;
            why = reason;
            return false;
        }
        if (normalized.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = normalized.GetAddressBytes();
            // NAT64 (64:ff9b::a.b.c.d) reaches the IPv4 address it carries, so judge that too:
            // on an IPv6-only network with DNS64, 64:ff9b::a9fe:a9fe is the metadata service.
            if (s_nat64.Contains(normalized))
            {
                var embedded = new IPAddress(bytes.AsSpan(12, 4));
                if (!Judge(embedded, out var inner))
                {
                    why = $"NAT64 for {embedded}, which is {inner}";
                    return false;
                }
            }
            // ::a.b.c.d (deprecated IPv4-compatible; ::/96 minus :: and ::1): no legitimate target
            // uses it, and some stacks still route it to the IPv4 address.
            else if (!IPAddress.IPv6Loopback.Equals(normalized) && bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
            {
                why = "IPv4-compatible IPv6 (deprecated)";
                return false;
            }
        }
        why = "";
        return true;
    }

    /// <summary>
    /// The allowed addresses of <paramref name="host"/> (a name, an IP literal, or a bracketed
    /// IPv6 literal), normalised (IPv4-mapped → IPv4), in resolver order.
    /// </summary>
    /// <exception cref="OutboundBlockedException">No address of the host is allowed.</exception>
    /// <exception cref="SocketException">The name does not resolve.</exception>
    public async Task<IPAddress[]> ResolveAllowedAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = host.Trim();
        if (name.StartsWith('[') && name.EndsWith(']')) name = name[1..^1];
        // The resolver answers "" with this machine's own addresses: never a real target.
        if (name.Length == 0) throw new ArgumentException("The host name is empty.", nameof(host));

        // A literal is used as parsed (including inet_aton forms like 2852039166, which the OS
        // would read the same way), never handed to the resolver.
        var literal = IPAddress.TryParse(name, out var parsed);
        var addresses = literal ? [parsed!] : await _resolve(name, cancellationToken);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);

        var allowed = new List<IPAddress>(addresses.Length);
        var reasons = new List<string>();
        foreach (var address in addresses.Select(OutboundCidr.Normalize).Distinct())
        {
            if (IsAllowed(address, out var reason)) allowed.Add(address);
            else reasons.Add(reason);
        }
        if (allowed.Count == 0) throw new OutboundBlockedException(literal ? null : name, reasons);
        return [.. allowed];
    }

    /// <summary>
    /// Resolves <paramref name="host"/> through the policy and connects a TCP socket to the first
    /// allowed address that accepts. Throws <see cref="OutboundBlockedException"/> without
    /// opening a socket when nothing is allowed, and the last <see cref="SocketException"/> when
    /// every allowed address refused.
    /// </summary>
    public async Task<Socket> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAllowedAsync(host, cancellationToken);
        ExceptionDispatchInfo? last = null;
        foreach (var address in addresses)
        {
            var endPoint = new IPEndPoint(address, port);
            ConnectAttempt?.Invoke(endPoint);
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endPoint, cancellationToken);
                return socket;
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ExceptionDispatchInfo.Capture(ex);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        last!.Throw();
        throw new UnreachableException();
    }

    /// <summary>
    /// For <see cref="SocketsHttpHandler.ConnectCallback"/>: the handler calls it for every new
    /// connection, including each redirect hop. Only meaningful without a proxy (with one, the
    /// handler would connect to the proxy and the proxy to the target).
    /// </summary>
    public async ValueTask<Stream> ConnectCallback(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = await ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken);
        return new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>Applies the policy to a handler: connections through <see cref="ConnectCallback"/>, no proxy.</summary>
    public SocketsHttpHandler Apply(SocketsHttpHandler handler)
    {
        // A proxy (HTTP_PROXY and friends are honoured by default) would be the only address
        // this process connects to, and it would reach the target for us: the policy could not
        // see the real destination. Outbound traffic under this policy therefore goes direct.
        handler.UseProxy = false;
        handler.Proxy = null;
        handler.ConnectCallback = ConnectCallback;
        return handler;
    }

    /// <summary>The <see cref="OutboundBlockedException"/> inside <paramref name="exception"/>, if any (HttpClient wraps it).</summary>
    public static OutboundBlockedException? FindBlocked(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is OutboundBlockedException blocked) return blocked;
        return null;
    }
}
