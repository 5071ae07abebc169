using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Monitoring.Core.Checks;
using Monitoring.Core.Services;
using Monitoring.Web.Hosting;
using Monitoring.Web.Metrics;
using Monitoring.Web.Services;

namespace Monitoring.Web.Checks;

/// <summary>
/// The in-process scheduler. One loop owns a priority queue of due times; a service runs at
/// <c>phase + k·interval</c> (see <see cref="ScheduleMath"/>), so slots never drift. Checks run
/// with bounded concurrency; a check still running when its next slot comes is skipped and
/// counted. Registry changes arrive through a channel and take effect at the next slot.
/// </summary>
public sealed partial class CheckScheduler : BackgroundService
{
    private readonly ServiceRegistry _registry;
    private readonly CheckExecutor _executor;
    private readonly CheckResultWriter _writer;
    private readonly AppMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<CheckScheduler> _logger;
    private readonly SemaphoreSlim _slots;
    private readonly PriorityQueue<(long Id, int Version), long> _queue = new();
    private readonly ConcurrentDictionary<long, byte> _inFlight = new();
    private Task<bool>? _changeWait;

    public CheckScheduler(ServiceRegistry registry, CheckExecutor executor, CheckResultWriter writer, AppMetrics metrics,
        TimeProvider time, IOptions<MonitoringOptions> options, ILogger<CheckScheduler> logger)
    {
        _registry = registry;
        _executor = executor;
        _writer = writer;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _slots = new SemaphoreSlim(options.Value.Checks.Concurrency);
        metrics.Gauge("monitoring_checks_in_flight", "Checks running now.", () => _inFlight.Count);
        metrics.Gauge("monitoring_check_queue_depth", "Services waiting in the scheduler's due-time queue.", () => QueueDepth);
        metrics.Gauge("monitoring_services_registered", "Services in the registry.", () => _registry.Count);
    }

    public int InFlight => _inFlight.Count;
    public int QueueDepth { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _writer.Loaded.WaitAsync(stoppingToken);
        var now = NowMs();
        foreach (var service in _registry.All) Schedule(service, now);

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ApplyChanges();
                QueueDepth = _queue.Count;
                if (!_queue.TryPeek(out var entry, out var due))
                {
                    await WaitForChangeAsync(Timeout.InfiniteTimeSpan, stoppingToken);
                    continue;
                }
                now = NowMs();
                if (due > now)
                {
                    await WaitForChangeAsync(TimeSpan.FromMilliseconds(due - now), stoppingToken);
                    continue;
                }

                _queue.Dequeue();
                if (!_registry.TryGet(entry.Id, out var service) || service.Version != entry.Version || !service.Enabled) continue;
                _queue.Enqueue(entry, ScheduleMath.NextDueAfter(due, ScheduleMath.Phase(service.Id, service.IntervalMs), service.IntervalMs));

                if (!_inFlight.TryAdd(service.Id, 0))
                {
                    _metrics.CheckSkipped(SkipReason.Overlap);
                    continue;
                }
                // Never wait for a slot here: one slow host holding every slot would make every
                // other service late. A saturated slot is skipped and counted instead.
                if (!_slots.Wait(0))
                {
                    _inFlight.TryRemove(service.Id, out _);
                    _metrics.CheckSkipped(SkipReason.Saturated);
                    continue;
                }
                _ = RunOneAsync(service, due, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunOneAsync(ServiceDefinition service, long dueAtMs, CancellationToken stoppingToken)
    {
        try
        {
            _metrics.StartLag(Math.Max(0, NowMs() - dueAtMs) / 1000.0);
            var result = await _executor.RunAsync(service, dueAtMs, stoppingToken);
            await _writer.EnqueueAsync(result, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogCheckFailed(ex, service.Id);
        }
        finally
        {
            _inFlight.TryRemove(service.Id, out _);
            _slots.Release();
        }
    }

    private void ApplyChanges()
    {
        var now = NowMs();
        while (_registry.Changes.TryRead(out var change))
        {
            if (change.Removed || !_registry.TryGet(change.ServiceId, out var service)) continue; // stale entries are dropped when popped
            Schedule(service, now);
        }
    }

    private void Schedule(ServiceDefinition service, long nowMs)
    {
        if (!service.Enabled) return;
        var phase = ScheduleMath.Phase(service.Id, service.IntervalMs);
        _queue.Enqueue((service.Id, service.Version), ScheduleMath.NextDueAfter(nowMs, phase, service.IntervalMs));
    }

    private async Task WaitForChangeAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        // One pending wait on the change channel is kept across loop turns, so waiting does not pile up waiters.
        _changeWait ??= _registry.Changes.WaitToReadAsync(cancellationToken).AsTask();
        if (delay == Timeout.InfiniteTimeSpan)
        {
            await _changeWait;
        }
        else
        {
            var timer = Task.Delay(delay, _time, cancellationToken);
            await Task.WhenAny(timer, _changeWait);
            cancellationToken.ThrowIfCancellationRequested();
        }
        if (_changeWait.IsCompleted) _changeWait = null;
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    [LoggerMessage(Level = LogLevel.Error, Message = "Check of service {ServiceId} failed unexpectedly")]
    private partial void LogCheckFailed(Exception ex, long serviceId);
}
