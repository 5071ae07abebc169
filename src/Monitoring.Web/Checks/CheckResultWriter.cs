using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Monitoring.Core.Checks;
using Monitoring.Core.Incidents;
using Monitoring.Core.Services;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;
using Monitoring.Web.Metrics;
using Monitoring.Web.Realtime;
using Monitoring.Web.Services;

namespace Monitoring.Web.Checks;

/// <summary>
/// The one writer of check results. Drains a bounded channel in batched transactions with
/// prepared commands; in the same transaction it applies the incident detector (so an incident
/// opens or closes atomically with the result that caused it) and adds the result's time span to
/// the hourly uptime table. After commit it updates the live state and completes any waiter.
/// </summary>
public sealed partial class CheckResultWriter : BackgroundService
{
    private readonly Channel<PendingResult> _queue;
    private readonly MonitoringOptions _options;
    private readonly ServiceRegistry _registry;
    private readonly ServiceStateCache _states;
    private readonly AppMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<CheckResultWriter> _logger;
    private readonly StreamBroadcaster _stream;
    private readonly EventBus _bus;
    private readonly string _connectionString;

    // Owned by the writer loop only.
    private readonly Dictionary<long, IncidentDetectorState> _detectors = [];
    private readonly Dictionary<long, (long AtMs, bool Up)> _lastResult = [];
    private int _openIncidents;
    // Incidents resolved by hand while their service still fails, told by the incident API; the
    // loop applies them before its next batch. Bounded by the number of open automatic incidents.
    private readonly System.Collections.Concurrent.ConcurrentQueue<(long ServiceId, long IncidentId)> _detached = new();
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly record struct PendingResult(CheckResult Result, TaskCompletionSource? Durable);

    public CheckResultWriter(IOptions<MonitoringOptions> options, ServiceRegistry registry, ServiceStateCache states,
        AppMetrics metrics, TimeProvider time, StreamBroadcaster stream, EventBus bus, ILogger<CheckResultWriter> logger)
    {
        _bus = bus;
        _stream = stream;
        _options = options.Value;
        _registry = registry;
        _states = states;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _connectionString = SqliteSetup.ConnectionString(_options);
        _queue = Channel.CreateBounded<PendingResult>(new BoundedChannelOptions(_options.Writer.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        metrics.Gauge("monitoring_writer_queue_depth", "Check results waiting to be written.", () => _queue.Reader.Count);
        metrics.Gauge("monitoring_incidents_active", "Automatic incidents open now.", () => Volatile.Read(ref _openIncidents));
    }

    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Queues a result; waits when the queue is full (back-pressure on the checkers).</summary>
    public ValueTask EnqueueAsync(CheckResult result, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(new PendingResult(result, null), cancellationToken);

    /// <summary>Queues a result and completes once it is committed.</summary>
    public async Task WriteDurableAsync(CheckResult result, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new PendingResult(result, done), cancellationToken);
        await done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Tells the detector that a person resolved <paramref name="incidentId"/> (automatic, of
    /// <paramref name="serviceId"/>): it stops counting failures into it, and opens a new incident
    /// only after the service has recovered and failed again.
    /// </summary>
    public void DetachIncident(long serviceId, long incidentId) => _detached.Enqueue((serviceId, incidentId));

    private void ApplyDetached()
    {
        while (_detached.TryDequeue(out var d))
        {
            if (!_detectors.TryGetValue(d.ServiceId, out var state) || state.OpenIncidentId != d.IncidentId) continue;
            state.Detach();
            Interlocked.Decrement(ref _openIncidents);
        }
    }

    /// <summary>Completes when the detector state has been rebuilt from the store.</summary>
    public Task Loaded => _loaded.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(stoppingToken);
        await SqliteSetup.ApplyPragmasAsync(connection, stoppingToken);
        await LoadStateAsync(connection, stoppingToken);
        _loaded.TrySetResult();

        var batch = new List<PendingResult>(_options.Writer.MaxBatchSize);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                Fill(reader, batch);
                if (batch.Count < _options.Writer.MaxBatchSize && _options.Writer.FlushIntervalMs > 0)
                {
                    // Linger briefly so a trickle of results shares one commit.
                    await Task.Delay(_options.Writer.FlushIntervalMs, stoppingToken);
                    Fill(reader, batch);
                }
                await WriteBatchAsync(connection, batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Drain what is left so a clean shutdown loses nothing already accepted.
        Fill(reader, batch);
        if (batch.Count > 0) await WriteBatchAsync(connection, batch, CancellationToken.None);
    }

    private void Fill(ChannelReader<PendingResult> reader, List<PendingResult> batch)
    {
        while (batch.Count < _options.Writer.MaxBatchSize && reader.TryRead(out var item)) batch.Add(item);
    }

    private async Task WriteBatchAsync(SqliteConnection connection, List<PendingResult> batch, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        ApplyDetached();
        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var changes = new List<(long ServiceId, LiveState State)>(batch.Count);
        var incidentEvents = new List<(bool Opened, long ServiceId)>();
        var streamEvents = new List<StreamEvent>();
        var batchStatus = new Dictionary<long, ServiceStatus>();
        var committed = new List<CommittedCheck>(batch.Count);
        for (var attempt = 1; ; attempt++)
        {
            // Detector state is copied so a failed transaction can be retried from the same point.
            var snapshot = SnapshotDetectors(batch);
            var lastResults = batch.Select(i => i.Result.ServiceId).Distinct()
                .ToDictionary(id => id, id => _lastResult.TryGetValue(id, out var l) ? l : ((long, bool)?)null);
            changes.Clear();
            incidentEvents.Clear();
            streamEvents.Clear();
            batchStatus.Clear();
            committed.Clear();
            try
            {
                await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
                using var commands = new WriterCommands(connection, tx);
                foreach (var item in batch)
                {
                    var r = item.Result;
                    if (!_registry.TryGet(r.ServiceId, out var service))
                    {
                        // Deregistered while the check ran: drop its result and its state.
                        if (_detectors.Remove(r.ServiceId, out var gone) && gone.OpenIncidentId is not null) Interlocked.Decrement(ref _openIncidents);
                        _lastResult.Remove(r.ServiceId);
                        continue;
                    }
                    commands.InsertResult(r);
                    AddUptimeSpan(commands, service, r);
                    // The status change is told before the incident it causes.
                    var previous = batchStatus.TryGetValue(r.ServiceId, out var p) ? p : _states.Get(r.ServiceId).Status;
                    if (previous != r.Status) AddStatusEvent(commands, streamEvents, service, r, previous);
                    batchStatus[r.ServiceId] = r.Status;
                    var incidentsBefore = incidentEvents.Count;
                    var openBefore = _detectors.TryGetValue(r.ServiceId, out var before) ? before.OpenIncidentId : null;
                    ApplyDetector(commands, service, r, nowMs, incidentEvents);
                    if (incidentEvents.Count > incidentsBefore)
                        AddIncidentEvent(commands, streamEvents, service, r, incidentEvents[^1].Opened ? _detectors[r.ServiceId].OpenIncidentId : openBefore, incidentEvents[^1].Opened);
                    committed.Add(new CommittedCheck(service, r, previous, _detectors.TryGetValue(r.ServiceId, out var after) ? after.OpenIncidentId : null));
                    changes.Add((r.ServiceId, new LiveState(r.Status, r.StartedAtMs, r.LatencyMs, r.Message, _states.Get(r.ServiceId).Uptime24h)));
                }
                await tx.CommitAsync(cancellationToken);
                break;
            }
            catch (Exception ex) when (attempt < 3 && ex is not OperationCanceledException)
            {
                RestoreDetectors(snapshot);
                RestoreLastResults(lastResults);
                LogRetry(ex, attempt);
                await Task.Delay(100 * attempt, CancellationToken.None);
            }
            catch (Exception ex)
            {
                RestoreDetectors(snapshot);
                RestoreLastResults(lastResults);
                LogBatchLost(ex, batch.Count);
                foreach (var item in batch) item.Durable?.TrySetException(ex);
                return;
            }
        }

        foreach (var (id, state) in changes) _states.Set(id, state);
        foreach (var (opened, _) in incidentEvents)
        {
            if (opened) _metrics.IncidentOpened(); else _metrics.IncidentClosed();
            Interlocked.Add(ref _openIncidents, opened ? 1 : -1);
        }
        _metrics.BatchCommitted(changes.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
        _stream.Publish(streamEvents);
        if (committed.Count > 0) _bus.Publish(new CheckResultsCommitted(committed));
        foreach (var item in batch) item.Durable?.TrySetResult();
    }

    private void AddUptimeSpan(WriterCommands commands, ServiceDefinition service, CheckResult r)
    {
        var up = r.IsUp;
        if (_lastResult.TryGetValue(r.ServiceId, out var last) && r.StartedAtMs > last.AtMs)
        {
            // The previous status held from its check until this one, capped at the longest
            // span the monitor could have been looking for.
            var end = Math.Min(r.StartedAtMs, last.AtMs + UptimeQueries.MaxSpanMs(service));
            var start = last.AtMs;
            while (start < end)
            {
                var hour = start - start % UptimeQueries.HourMs;
                var sliceEnd = Math.Min(end, hour + UptimeQueries.HourMs);
                commands.AddUptime(r.ServiceId, hour, last.Up ? sliceEnd - start : 0, sliceEnd - start);
                start = sliceEnd;
            }
        }
        if (!_lastResult.TryGetValue(r.ServiceId, out last) || r.StartedAtMs >= last.AtMs)
            _lastResult[r.ServiceId] = (r.StartedAtMs, up);
    }

    private void ApplyDetector(WriterCommands commands, ServiceDefinition service, CheckResult r, long nowMs, List<(bool, long)> events)
    {
        if (!_detectors.TryGetValue(r.ServiceId, out var state)) _detectors[r.ServiceId] = state = new IncidentDetectorState();
        switch (state.Apply(r, service.FailureThreshold, service.RecoveryThreshold))
        {
            case IncidentTransition.Open:
                state.OpenIncidentId = commands.OpenIncident(service, state.FailureStreakStartedAtMs, state.ChecksFailedInIncident, r.Message, nowMs);
                events.Add((true, r.ServiceId));
                break;
            case IncidentTransition.Close:
                commands.CloseIncident(state.OpenIncidentId!.Value, state.SuccessStreakStartedAtMs, state.ChecksFailedInIncident, nowMs);
                state.OpenIncidentId = null;
                state.ChecksFailedInIncident = 0;
                events.Add((false, r.ServiceId));
                break;
            case IncidentTransition.None when state.OpenIncidentId is { } open && !r.IsUp:
                commands.CountFailure(open, state.ChecksFailedInIncident, nowMs);
                break;
        }
    }

    private void RestoreLastResults(Dictionary<long, (long, bool)?> lastResults)
    {
        foreach (var (id, last) in lastResults)
        {
            if (last is { } l) _lastResult[id] = l; else _lastResult.Remove(id);
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions s_json = new(System.Text.Json.JsonSerializerDefaults.Web);

    private static void AddStatusEvent(WriterCommands commands, List<StreamEvent> events, ServiceDefinition service, CheckResult r, ServiceStatus previous)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new
        {
            serviceId = service.Id, name = service.Name, status = r.Status.ToApi(), previousStatus = previous.ToApi(),
            at = DateTimeOffset.FromUnixTimeMilliseconds(r.StartedAtMs), responseTimeMs = r.LatencyMs, message = r.Message,
        }, s_json);
        var seq = commands.InsertEvent(StreamTopics.Status, "status.changed", r.StartedAtMs, json);
        events.Add(new StreamEvent(seq, StreamTopics.Status, "status.changed", r.StartedAtMs, json));
    }

    private static void AddIncidentEvent(WriterCommands commands, List<StreamEvent> events, ServiceDefinition service, CheckResult r, long? incidentId, bool opened)
    {
        var type = opened ? "incident.opened" : "incident.resolved";
        var json = System.Text.Json.JsonSerializer.Serialize(new
        {
            incidentId, serviceId = service.Id, name = service.Name, status = opened ? "investigating" : "resolved",
            at = DateTimeOffset.FromUnixTimeMilliseconds(r.StartedAtMs),
        }, s_json);
        var seq = commands.InsertEvent(StreamTopics.Incidents, type, r.StartedAtMs, json);
        events.Add(new StreamEvent(seq, StreamTopics.Incidents, type, r.StartedAtMs, json));
    }

    private Dictionary<long, IncidentDetectorState?> SnapshotDetectors(List<PendingResult> batch)
    {
        var snapshot = new Dictionary<long, IncidentDetectorState?>();
        foreach (var item in batch)
        {
            var id = item.Result.ServiceId;
            if (snapshot.ContainsKey(id)) continue;
            snapshot[id] = _detectors.TryGetValue(id, out var s) ? s.Clone() : null;
        }
        return snapshot;
    }

    private void RestoreDetectors(Dictionary<long, IncidentDetectorState?> snapshot)
    {
        foreach (var (id, state) in snapshot)
        {
            if (state is null) _detectors.Remove(id); else _detectors[id] = state;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing a batch failed (attempt {Attempt}); retrying")]
    private partial void LogRetry(Exception ex, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing a batch of {Count} check results failed for good; they are lost")]
    private partial void LogBatchLost(Exception ex, int count);
}
