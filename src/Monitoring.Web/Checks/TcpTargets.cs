using System.Net.Sockets;

namespace Monitoring.Web.Checks;

/// <summary>Opening the TCP connection that the tcp, tls and redis checkers start from.</summary>
internal static class TcpTargets
{
    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/> (every resolved address in
    /// turn). Returns null and a reason when the connection is refused or unreachable;
    /// cancellation propagates so the executor reports a timeout.
    /// </summary>
    public static async Task<(TcpClient? Client, string? Error)> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(host, port, cancellationToken);
            return (client, null);
        }
        catch (SocketException ex)
        {
            client.Dispose();
            return (null, $"Cannot connect to {host}:{port}: {Describe(ex)}.");
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static string Describe(SocketException ex) => ex.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "unreachable",
        SocketError.TimedOut => "timed out",
        _ => ex.Message,
    };
}
