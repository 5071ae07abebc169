using System.Threading.Channels;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitoring.Web.Data;

namespace Monitoring.Web.Notifications;

/// <summary>
/// Hands due outbox rows to Hangfire delivery jobs. At start it re-enqueues every undelivered row (the
/// in-memory job store forgot them); afterwards it runs when woken by <see cref="Wake"/>, when the next
/// retry is due, and at least every <c>SweepIntervalSeconds</c>, when it also picks up rows whose job
/// was lost. One pass hands over at most <c>DispatchBatch</c> rows.
/// </summary>
public sealed class OutboxDispatcher(
    IDbContextFactory<MonitoringDbContext> dbFactory,
    IBackgroundJobClient jobs,
    NotificationMetrics metrics,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private static readonly string[] s_open = [OutboxStatus.Pending, OutboxStatus.Failed];
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _passes;

    /// <summary>Asks for a pass soon. Cheap; calls coalesce.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    public long Passes => Interlocked.Read(ref _passes); // For testing.

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try { await ResetAsync(stoppingToken); }
        catch (Exception ex) when (ex is not OperationCanceledException) { logger.LogError(ex, "Resetting the notification outbox at start failed"); }

        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = TimeSpan.FromSeconds(options.Value.SweepIntervalSeconds);
            try
            {
                var nextDueMs = await PassAsync(stoppingToken);
                if (nextDueMs is { } due)
                {
                    var untilDue = TimeSpan.FromMilliseconds(Math.Max(0, due - time.GetUtcNow().ToUnixTimeMilliseconds()));
                    if (untilDue < wait) wait = untilDue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex)
            {
                logger.LogError(ex, "Notification outbox pass failed; retrying in {Seconds} s", wait.TotalSeconds);
            }
            if (wait <= TimeSpan.Zero) continue;
            using var timer = new CancellationTokenSource(wait, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, stoppingToken);
            try { await _wake.Reader.ReadAsync(linked.Token); }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>
    /// No job exists at start (the job store is in memory), and whoever held a lease died with the
    /// previous process: every undelivered row is up for dispatch again.
    /// </summary>
    private async Task ResetAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var reset = await db.NotificationOutbox
            .Where(o => s_open.Contains(o.Status) && (o.EnqueuedAtMs != null || o.LeaseUntilMs != null))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.EnqueuedAtMs, (long?)null).SetProperty(o => o.LeaseUntilMs, (long?)null), cancellationToken);
        if (reset > 0) logger.LogInformation("Re-enqueueing {Count} undelivered notification(s) left by the previous run", reset);
    }

    /// <summary>One pass: enqueue due rows; returns when the next not-yet-due row is due.</summary>
    internal async Task<long?> PassAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _passes);
        var o = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var lostBefore = now - (long)(o.LostJobSeconds * 1000);
        var due = await db.NotificationOutbox.AsNoTracking()
            .Where(r => s_open.Contains(r.Status) && r.NextAttemptAtMs <= now
                && (r.EnqueuedAtMs == null || r.EnqueuedAtMs < lostBefore)
                && (r.LeaseUntilMs == null || r.LeaseUntilMs < now))
            .OrderBy(r => r.NextAttemptAtMs)
            .Select(r => r.Id)
            .Take(Math.Max(1, o.DispatchBatch))
            .ToListAsync(cancellationToken);
        if (due.Count > 0)
        {
            // Mark first, then enqueue: a job that finishes before this update would otherwise be overwritten.
            await db.NotificationOutbox.Where(r => due.Contains(r.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.EnqueuedAtMs, now), cancellationToken);
            foreach (var id in due) jobs.Enqueue<NotificationDelivery>(d => d.DeliverAsync(id, CancellationToken.None));
            if (due.Count >= o.DispatchBatch) Wake(); // more are waiting
        }
        metrics.Pending(await db.NotificationOutbox.CountAsync(r => s_open.Contains(r.Status), cancellationToken));
        return await db.NotificationOutbox.AsNoTracking()
            .Where(r => s_open.Contains(r.Status) && r.EnqueuedAtMs == null && r.NextAttemptAtMs > now)
            .OrderBy(r => r.NextAttemptAtMs)
            .Select(r => (long?)r.NextAttemptAtMs)
            .FirstOrDefaultAsync(cancellationToken);
    }
}
