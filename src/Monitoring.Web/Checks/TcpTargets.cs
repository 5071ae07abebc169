using System.Net.Sockets;
using Monitoring.Web.Security;

namespace Monitoring.Web.Checks;

/// <summary>Opening the TCP connection that the tcp, tls and redis checkers start from.</summary>
internal static class TcpTargets
{
    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/> through the outbound policy
    /// (every allowed resolved address in turn). Returns null and a reason when the policy blocks
    /// every address, or the connection is refused or unreachable; cancellation propagates so
    /// the executor reports a timeout. The stream owns the socket.
    /// </summary>
    public static async Task<(NetworkStream? Stream, string? Error)> ConnectAsync(OutboundPolicy outbound, string host, int port, CancellationToken cancellationToken)
    {
        try
        {
            var socket = await outbound.ConnectAsync(host, port, cancellationToken);
            return (new NetworkStream(socket, ownsSocket: true), null);
        }
        catch (OutboundBlockedException ex)
        {
            return (null, $"Cannot connect to {host}:{port}: {ex.Message}");
        }
        catch (SocketException ex)
        {
            return (null, $"Cannot connect to {host}:{port}: {Describe(ex)}.");
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
