using System.Collections.Concurrent;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitoring.Core.Alerts;
using Monitoring.Web.Checks;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;
using Monitoring.Web.Metrics;
using Monitoring.Web.Notifications;
using Monitoring.Web.Realtime;
using Monitoring.Web.Services;

namespace Monitoring.Web.Alerts;

/// <summary>
/// Evaluates alert rules as data arrives (check results and samples from the event bus) and on a
/// tick (pending periods, repeats, no-data, silence boundaries), never by polling the store per rule.
/// Rules, silences, active alerts and the recent data rules need are held in memory, loaded at start
/// and bounded by <see cref="AlertOptions"/>. One gate serializes the loop and the API's changes
/// (acknowledge, resolve, rule and silence edits), so the state machine has a single writer.
/// Every state change commits in one transaction with its history row, its stream event and its
/// notification outbox rows; broadcasts follow the commit.
/// </summary>
public sealed partial class AlertEngine : BackgroundService
{
    public const string SystemActor = "system";
    private static readonly System.Text.Json.JsonSerializerOptions s_json = new(System.Text.Json.JsonSerializerDefaults.Web);

    private readonly IDbContextFactory<MonitoringDbContext> _dbFactory;
    private readonly EventBus.Subscription _subscription;
    private readonly ServiceRegistry _registry;
    private readonly ServiceStateCache _states;
    private readonly MetricSeriesCatalog _catalog;
    private readonly StreamBroadcaster _stream;
    private readonly AlertHubPublisher _hub;
    private readonly IServiceProvider _provider;
    private readonly TimeProvider _time;
    private readonly AlertOptions _options;
    private readonly ILogger<AlertEngine> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private INotificationOutbox? _outbox;

    private readonly Dictionary<long, AlertRuleSpec> _rules = [];
    private readonly Dictionary<string, ActiveAlert> _active = new(StringComparer.Ordinal);
    private readonly HashSet<string> _resolvedByHand = new(StringComparer.Ordinal);
    private readonly List<SilenceRule> _silences = [];
    private readonly ConcurrentDictionary<long, AlertDto> _activeView = new();
    private long _startedAtMs;

    private long _evaluations;
    private long _notices;
    private long _droppedAlerts;
    private long _commitFailures;
    private long _lagMs;

    public AlertEngine(IDbContextFactory<MonitoringDbContext> dbFactory, EventBus bus, ServiceRegistry registry, ServiceStateCache states,
        MetricSeriesCatalog catalog, StreamBroadcaster stream, AlertHubPublisher hub, IServiceProvider services, AppMetrics metrics,
        TimeProvider time, IOptions<MonitoringOptions> options, ILogger<AlertEngine> logger)
    {
        _dbFactory = dbFactory;
        _registry = registry;
        _states = states;
        _catalog = catalog;
        _stream = stream;
        _hub = hub;
        _provider = services;
        _time = time;
        _options = options.Value.Alerts;
        _logger = logger;
        // Subscribe now, before the writers start, so no committed batch is missed.
        _subscription = bus.Subscribe("alerts", _options.QueueCapacity);
        metrics.Gauge("monitoring_alerts_firing", "Alerts firing now.", () => _activeView.Values.Count(a => a.State == "firing"));
        metrics.Gauge("monitoring_alerts_pending", "Alerts pending (condition holds, pending period not over).", () => _activeView.Values.Count(a => a.State == "pending"));
        metrics.Gauge("monitoring_alert_evaluations_total", "Rule evaluations (one rule against one series or service) since start.", () => Interlocked.Read(ref _evaluations));
        metrics.Gauge("monitoring_alert_notices_total", "Alert notices handed to the notification outbox since start.", () => Interlocked.Read(ref _notices));
        metrics.Gauge("monitoring_alert_engine_queue_depth", "Bus events waiting for the alert engine.", () => _subscription.Reader.Count);
        metrics.Gauge("monitoring_alert_engine_lag_seconds", "Time from a check result's end to its evaluation, last batch.", () => Interlocked.Read(ref _lagMs) / 1000.0);
        metrics.Gauge("monitoring_alert_bus_dropped_total", "Bus events dropped because the alert engine's queue was full.", () => _subscription.Dropped);
        metrics.Gauge("monitoring_alerts_dropped_total", "Alerts not raised because MaxActiveAlerts was reached.", () => Interlocked.Read(ref _droppedAlerts));
        metrics.Gauge("monitoring_alert_commit_failures_total", "Alert changes whose commit failed.", () => Interlocked.Read(ref _commitFailures));
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Pending and firing alerts, newest first (from memory; for the hub snapshot, stats and the report).</summary>
    public IReadOnlyList<AlertDto> ActiveAlerts(int max = 1000) =>
        _activeView.Values.OrderByDescending(a => a.StartedAt).ThenByDescending(a => a.Id).Take(max).ToList();

    public int ActiveCount => _activeView.Count;

    /// <summary>Completes when the engine has loaded its state from the store.</summary>
    public Task Loaded => _loaded.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await LoadAsync(stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogLoadFailed(ex);
        }
        finally
        {
            _loaded.TrySetResult();
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.TickSeconds), _time);
        var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
        var read = _subscription.Reader.WaitToReadAsync(stoppingToken).AsTask();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var done = await Task.WhenAny(tick, read).ConfigureAwait(false);
                if (done == read)
                {
                    if (!await read) break;
                    await RunGuardedAsync(DrainBusAsync, stoppingToken);
                    read = _subscription.Reader.WaitToReadAsync(stoppingToken).AsTask();
                }
                else
                {
                    if (!await tick) break;
                    await RunGuardedAsync(TickAsync, stoppingToken);
                    tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _subscription.Dispose();
        }
    }

    private async Task RunGuardedAsync(Func<CancellationToken, Task> work, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await work(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogEvaluationFailed(ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task DrainBusAsync(CancellationToken ct)
    {
        var changes = new List<Change>();
        var now = NowMs;
        // Drain what is queued (bounded) and commit once.
        for (var i = 0; i < 256 && _subscription.Reader.TryRead(out var e); i++)
        {
            switch (e)
            {
                case CheckResultsCommitted checks:
                    OnChecks(checks, now, changes);
                    break;
                case SamplesCommitted samples:
                    OnSamples(samples, now, changes);
                    break;
            }
        }
        await CommitAsync(changes, ct);
    }

    private async Task TickAsync(CancellationToken ct)
    {
        var changes = new List<Change>();
        Tick(NowMs, changes);
        await CommitAsync(changes, ct);
        Interlocked.Increment(ref _ticks);
    }

    private long _ticks;

    /// <summary>Ticks completed (evaluated and committed) since start. For testing.</summary>
    internal long Ticks => Interlocked.Read(ref _ticks);

    // ---- API entry points -------------------------------------------------------------------

    public enum ActionOutcome { Done, NotFound, AlreadyResolved }

    /// <summary>Acknowledges an alert (stops its repeats); also acknowledges its linked incident if nobody did yet.</summary>
    public Task<(ActionOutcome Outcome, AlertDto? Alert)> AcknowledgeAsync(long id, string actor, CancellationToken ct) =>
        ActOnAlertAsync(id, ct, (a, now, changes) =>
        {
            if (a.Tracker.IsAcknowledged) return;
            a.Tracker.Acknowledge(now);
            a.AcknowledgedBy = actor;
            changes.Add(new Change(a, a.ToDto(), "acknowledged", actor, null) { AcknowledgeIncidentId = a.IncidentId });
        });

    /// <summary>Resolves an alert by hand. It is not raised again until its condition has cleared once.</summary>
    public Task<(ActionOutcome Outcome, AlertDto? Alert)> ResolveAsync(long id, string actor, CancellationToken ct) =>
        ActOnAlertAsync(id, ct, (a, now, changes) =>
        {
            a.Tracker.Resolve(now);
            a.ResolvedBy = actor;
            if (a.ConditionMet && _resolvedByHand.Count < _options.MaxActiveAlerts) _resolvedByHand.Add(a.Fingerprint);
            Finish(a, changes, actor, "resolved by hand");
        });

    private async Task<(ActionOutcome, AlertDto?)> ActOnAlertAsync(long id, CancellationToken ct, Action<ActiveAlert, long, List<Change>> act)
    {
        await _loaded.Task.WaitAsync(ct);
        await _gate.WaitAsync(ct);
        try
        {
            var alert = _active.Values.FirstOrDefault(a => a.Id == id);
            if (alert is null)
            {
                await using var db = await _dbFactory.CreateDbContextAsync(ct);
                var stored = await db.Alerts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
                return stored is null ? (ActionOutcome.NotFound, null) : (ActionOutcome.AlreadyResolved, stored.ToDto());
            }
            var changes = new List<Change>();
            act(alert, NowMs, changes);
            await CommitAsync(changes, ct);
            return (ActionOutcome.Done, alert.ToDto());
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Re-reads one rule from the store (after create, update or delete) and applies it at once.</summary>
    public async Task RuleChangedAsync(long ruleId, CancellationToken ct)
    {
        await _loaded.Task.WaitAsync(ct);
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var entity = await db.AlertRules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == ruleId, ct);
        var spec = entity?.ToSpec();
        await _gate.WaitAsync(ct);
        try
        {
            var changes = new List<Change>();
            var now = NowMs;
            if (spec is null || !spec.Enabled)
            {
                _rules.Remove(ruleId);
                foreach (var a in _active.Values.Where(a => a.RuleId == ruleId).ToList())
                {
                    a.Tracker.Resolve(now);
                    Finish(a, changes, SystemActor, entity is null ? "rule deleted" : "rule disabled");
                }
            }
            else
            {
                _rules[ruleId] = spec;
                foreach (var a in _active.Values.Where(a => a.RuleId == ruleId))
                {
                    a.RuleName = spec.Name;
                    a.Severity = spec.Severity;
                }
            }
            RulesChanged(now);
            await CommitAsync(changes, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Re-reads the silences from the store (after create or delete); takes effect at the next tick.</summary>
    public async Task SilencesChangedAsync(CancellationToken ct)
    {
        await _loaded.Task.WaitAsync(ct);
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var now = NowMs;
        var rows = await db.Silences.AsNoTracking().Where(s => s.EndsAtMs == null || s.EndsAtMs > now).ToListAsync(ct);
        await _gate.WaitAsync(ct);
        try
        {
            _silences.Clear();
            _silences.AddRange(rows.Select(r => r.ToRule()).OfType<SilenceRule>());
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>What a rule sees now, per series or service, from the engine's memory (the rule editor's preview).</summary>
    public async Task<AlertRulePreview> PreviewAsync(AlertRuleSpec spec, CancellationToken ct)
    {
        await _loaded.Task.WaitAsync(ct);
        await _gate.WaitAsync(ct);
        try
        {
            return new AlertRulePreview(Preview(spec, NowMs), _time.GetUtcNow());
        }
        finally
        {
            _gate.Release();
        }
    }

    // ---- load and commit ---------------------------------------------------------------------

    private async Task LoadAsync(CancellationToken ct)
    {
        _startedAtMs = NowMs;
        _outbox = _provider.GetService<INotificationOutbox>();
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        foreach (var r in await db.AlertRules.AsNoTracking().ToListAsync(ct))
            if (r.ToSpec() is { Enabled: true } spec) _rules[r.Id] = spec;
        var now = NowMs;
        foreach (var s in await db.Silences.AsNoTracking().Where(s => s.EndsAtMs == null || s.EndsAtMs > now).ToListAsync(ct))
            if (s.ToRule() is { } rule) _silences.Add(rule);
        var active = await db.Alerts.AsNoTracking().Where(a => a.State != "resolved").OrderByDescending(a => a.Id).Take(_options.MaxActiveAlerts).ToListAsync(ct);
        foreach (var e in active)
        {
            AlertRuleSpec.TryParseSeverity(e.Severity, out var severity);
            var a = ActiveAlert.FromEntity(e, severity);
            _active[a.Fingerprint] = a;
            _activeView[a.Id] = a.ToDto();
        }
        var open = await db.Incidents.AsNoTracking().Where(i => i.Status != "resolved" && i.ServiceId != null)
            .Select(i => new { i.Id, i.ServiceId }).ToListAsync(ct);
        LoadServices(open.GroupBy(i => i.ServiceId!.Value).ToDictionary(g => g.Key, g => g.Max(i => i.Id)));
        RulesChanged(now);
        LogLoaded(_rules.Count, _active.Count, _silences.Count);
    }

    /// <summary>One change of one alert: a history row (when <see cref="EventType"/> is set), maybe a notice.</summary>
    private sealed record Change(ActiveAlert Alert, AlertDto Snapshot, string? EventType, string Actor, string? Detail)
    {
        /// <summary>firing | repeat | resolved</summary>
        public string? NoticeKind { get; init; }
        /// <summary>The part of the event key after <c>alert:{id}:</c>.</summary>
        public string? NoticeKey { get; init; }
        public long? AcknowledgeIncidentId { get; init; }
        public long? AggregateServiceId { get; init; }
    }

    private static string? StreamType(string eventType) => eventType switch
    {
        "pending" => "alert.pending",
        "firing" => "alert.firing",
        "resolved" => "alert.resolved",
        "acknowledged" => "alert.acknowledged",
        _ => null,
    };

    private async Task CommitAsync(List<Change> changes, CancellationToken ct)
    {
        if (changes.Count == 0) return;
        var now = NowMs;
        var streamRows = new List<StreamEventEntity>();
        var dtos = new Dictionary<ActiveAlert, AlertDto>(ReferenceEqualityComparer.Instance);
        var notices = 0;
        try
        {
            await using var db = await _dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var entities = new Dictionary<ActiveAlert, AlertEntity>(ReferenceEqualityComparer.Instance);
            foreach (var c in changes)
            {
                if (entities.ContainsKey(c.Alert)) continue;
                c.Alert.UpdatedAtMs = now;
                var e = c.Alert.ToEntity();
                if (e.Id == 0) db.Alerts.Add(e); else db.Alerts.Update(e);
                entities[c.Alert] = e;
            }
            await db.SaveChangesAsync(ct);
            foreach (var (a, e) in entities)
            {
                a.Id = e.Id;
                dtos[a] = a.ToDto();
            }
            foreach (var c in changes)
            {
                if (c.EventType is null) continue;
                var dto = c.Snapshot with { Id = c.Alert.Id, UpdatedAt = AlertMapping.Time(now) };
                db.AlertEvents.Add(new AlertEventEntity { AlertId = c.Alert.Id, Type = c.EventType, AtMs = now, Actor = c.Actor, Detail = c.Detail });
                if (StreamType(c.EventType) is { } type)
                {
                    var row = new StreamEventEntity { Topic = StreamTopics.Alerts, Type = type, AtMs = now, PayloadJson = System.Text.Json.JsonSerializer.Serialize(dto, s_json) };
                    db.StreamEvents.Add(row);
                    streamRows.Add(row);
                }
                if (c.NoticeKind is { } kind && _outbox is not null)
                {
                    var channels = _rules.TryGetValue(c.Alert.RuleId, out var rule) ? rule.ChannelIds : [];
                    await _outbox.AddAsync(db, new AlertNotice($"alert:{c.Alert.Id}:{c.NoticeKey}", kind, dto, channels, AlertMapping.Time(now)), ct);
                    notices++;
                }
                if (c.AcknowledgeIncidentId is { } incidentId)
                {
                    await db.Incidents.Where(i => i.Id == incidentId && i.AcknowledgedAtMs == null)
                        .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcknowledgedAtMs, now).SetProperty(i => i.UpdatedAtMs, now), ct);
                }
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Interlocked.Increment(ref _commitFailures);
            LogCommitFailed(ex, changes.Count);
            return;
        }

        Interlocked.Add(ref _notices, notices);
        _stream.Publish(streamRows.Select(r => new StreamEvent(r.Seq, r.Topic, r.Type, r.AtMs, r.PayloadJson)).ToList());
        if (notices > 0) _outbox?.Dispatch();
        foreach (var (a, dto) in dtos)
        {
            if (a.Tracker.IsActive) _activeView[a.Id] = dto;
            else _activeView.TryRemove(a.Id, out _);
        }
        _hub.Changed(dtos.Values);
        foreach (var serviceId in changes.Select(c => c.AggregateServiceId).OfType<long>().Distinct())
            EnqueueAggregation(serviceId);
    }

    /// <summary>Issue #5: a critical alert for a service stores its 5-minute average response time (Hangfire job).</summary>
    private void EnqueueAggregation(long serviceId)
    {
        try
        {
            _provider.GetRequiredService<IBackgroundJobClient>().Enqueue<ResponseTimeAggregationJob>(j => j.RunAsync(serviceId, CancellationToken.None));
        }
        catch (Exception ex)
        {
            LogEnqueueFailed(ex, serviceId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert engine loaded {Rules} rules, {Active} active alerts, {Silences} silences")]
    private partial void LogLoaded(int rules, int active, int silences);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert engine could not load its state")]
    private partial void LogLoadFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert evaluation failed")]
    private partial void LogEvaluationFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Committing {Count} alert changes failed")]
    private partial void LogCommitFailed(Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Enqueueing the response-time aggregation for service {ServiceId} failed")]
    private partial void LogEnqueueFailed(Exception ex, long serviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert not raised: {Max} active alerts held already")]
    private partial void LogCapacity(int max);
}
