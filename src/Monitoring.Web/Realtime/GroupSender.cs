using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Monitoring.Web.Hosting;
using Monitoring.Web.Metrics;

namespace Monitoring.Web.Realtime;

/// <summary>
/// Sends one message to a hub group without letting a slow member hold up the sender.
/// <para>
/// SignalR serializes a group message once and writes it to each member's pipe; a healthy
/// member's write completes at once, but a member that stopped reading has a full pipe
/// (<c>TransportMaxBufferSize</c>, 64 KB by default) and its write waits for the flush. The
/// group send's task waits for every member, so awaiting it would let one stalled browser delay
/// every later delta for everybody. Here the send runs in the background with a deadline
/// (<c>Monitoring:Realtime:SendTimeoutMs</c>): SignalR aborts a connection whose write is
/// cancelled, so a stalled client is dropped (its browser reconnects and resyncs from a snapshot)
/// and what it holds in memory is bounded by that one pipe.
/// </para>
/// </summary>
public sealed partial class GroupSender(
    IHubContext<MonitoringHub> hub,
    IOptions<MonitoringOptions> options,
    AppMetrics metrics,
    ILogger<GroupSender> logger)
{
    private readonly TimeSpan _timeout = TimeSpan.FromMilliseconds(options.Value.Realtime.SendTimeoutMs);
    private readonly int _maxInFlight = options.Value.Realtime.MaxSendsInFlight;
    private int _inFlight;
    private long _timedOut;
    private long _dropped;
    private int _registered;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Starts the send and returns at once; false when too many sends are still waiting (the message is dropped and counted).</summary>
    public bool Send(string group, string method, object payload)
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0) RegisterGauges();
        if (Interlocked.Increment(ref _inFlight) > _maxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            Interlocked.Increment(ref _dropped);
            return false;
        }
        _ = SendAsync(group, method, payload);
        return true;
    }

    private async Task SendAsync(string group, string method, object payload)
    {
        using var cts = new CancellationTokenSource(_timeout);
        try
        {
            await hub.Clients.Group(group).SendAsync(method, payload, cts.Token).ConfigureAwait(false);
            metrics.BroadcastSent();
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            // The members that were slow are aborted by SignalR; the others already have the message.
            Interlocked.Increment(ref _timedOut);
            LogTimedOut(group);
        }
        catch (Exception ex)
        {
            LogFailed(ex, group);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void RegisterGauges()
    {
        metrics.Gauge("monitoring_hub_sends_in_flight", "Hub group sends still waiting for a slow member.", () => Volatile.Read(ref _inFlight));
        metrics.Gauge("monitoring_hub_sends_timed_out", "Hub group sends that hit the send deadline (slow members were dropped).", () => Interlocked.Read(ref _timedOut));
        metrics.Gauge("monitoring_hub_sends_dropped", "Hub group messages dropped because too many sends were in flight.", () => Interlocked.Read(ref _dropped));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A send to hub group {Group} hit its deadline; slow members were disconnected")]
    private partial void LogTimedOut(string group);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending to hub group {Group} failed")]
    private partial void LogFailed(Exception ex, string group);
}
