using System.Diagnostics;
using System.Text;
using Monitoring.Core.Services;
using Monitoring.Web.Security;

namespace Monitoring.Web.Checks;

/// <summary>
/// Speaks just enough RESP to ask a Redis server <c>PING</c>. <c>+PONG</c> is healthy. A server
/// that wants a password answers <c>-NOAUTH</c>: it is up and answering, so that is degraded
/// (we cannot vouch for it) rather than down. Any other answer is unhealthy.
/// </summary>
/// <param name="outbound">The app's policy (DI); without one, the built-in rules (<see cref="OutboundPolicy.Default"/>).</param>
public sealed class RedisChecker(OutboundPolicy? outbound = null) : IChecker
{
    private readonly OutboundPolicy _outbound = outbound ?? OutboundPolicy.Default;

    private const int MaxReplyBytes = 512;
    private static readonly byte[] s_ping = "PING\r\n"u8.ToArray();

    public ServiceType Type => ServiceType.Redis;

    public async Task<CheckOutcome> CheckAsync(ServiceDefinition service, CancellationToken cancellationToken)
    {
        if (!ServiceValidator.TryParseHostPort(service.Target, out var host, out var port))
            return CheckOutcome.Down(0, $"Target '{service.Target}' is not host:port.");
        var started = Stopwatch.GetTimestamp();
        var (stream, error) = await TcpTargets.ConnectAsync(_outbound, host, port, cancellationToken);
        if (stream is null) return CheckOutcome.Down(Stopwatch.GetElapsedTime(started).TotalMilliseconds, error!);

        string reply;
        await using (stream)
        {
            try
            {
                await stream.WriteAsync(s_ping, cancellationToken);
                reply = await ReadLineAsync(stream, cancellationToken);
            }
            catch (IOException ex)
            {
                return CheckOutcome.Down(Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"Redis at {host}:{port} closed the connection: {ex.GetBaseException().Message}");
            }
        }
        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        if (reply == "+PONG") return CheckOutcome.Up(latency, "PONG");
        if (reply.StartsWith("-NOAUTH", StringComparison.Ordinal))
            return new CheckOutcome(ServiceStatus.Degraded, latency, $"Redis answered but requires authentication: {reply[1..]}");
        if (reply.Length == 0) return CheckOutcome.Down(latency, $"Redis at {host}:{port} closed the connection without answering PING.");
        return CheckOutcome.Down(latency, $"Unexpected answer to PING: {(reply.StartsWith('-') ? reply[1..] : reply)}");
    }

    /// <summary>Reads one CRLF-terminated line (bounded); empty when the peer closed first.</summary>
    private static async Task<string> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxReplyBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0) break;
            length += read;
            var end = buffer.AsSpan(0, length).IndexOf("\r\n"u8);
            if (end >= 0) return Encoding.UTF8.GetString(buffer, 0, end);
        }
        return Encoding.UTF8.GetString(buffer, 0, length).TrimEnd('\r', '\n');
    }
}
