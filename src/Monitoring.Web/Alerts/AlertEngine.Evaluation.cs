using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Monitoring.Core.Alerts;
using Monitoring.Core.Services;
using Monitoring.Web.Metrics;
using Monitoring.Web.Realtime;

namespace Monitoring.Web.Alerts;

// Rule evaluation. Everything here runs under the engine's gate.
public sealed partial class AlertEngine
{
    /// <summary>What the engine remembers of a service: its latest result and a bounded window of recent ones.</summary>
    private sealed class ServiceState
    {
        public ServiceStatus Status;
        public double? LatencyMs;
        public string? Message;
        public long LastAtMs;
        public long? OpenIncidentId;
        public readonly Queue<(long At, bool Up, double LatencyMs)> Recent = new();
    }

    /// <summary>A metric series some rule selects: its recent samples and when it last had one.</summary>
    private sealed class SeriesState(SeriesInfo info, long lastSeenMs)
    {
        public SeriesInfo Info { get; } = info;
        public long LastSeenMs { get; set; } = lastSeenMs;
        public Queue<(long Ts, double Value)> Samples { get; } = new();
    }

    private readonly Dictionary<long, ServiceState> _serviceStates = [];
    private readonly Dictionary<long, SeriesState> _series = [];
    private readonly Dictionary<long, long[]> _rulesBySeries = [];
    private HashSet<ActiveAlert> _touched = new(ReferenceEqualityComparer.Instance);

    private void LoadServices(Dictionary<long, long> openIncidents)
    {
        foreach (var s in _registry.All)
        {
            var live = _states.Get(s.Id);
            _serviceStates[s.Id] = new ServiceState
            {
                Status = live.Status, LatencyMs = live.LatencyMs, Message = live.Message, LastAtMs = live.LastCheckedAtMs ?? 0,
                OpenIncidentId = openIncidents.TryGetValue(s.Id, out var i) ? i : null,
            };
        }
    }

    /// <summary>After rules changed: forget which rules select which series and track the series no-data rules watch.</summary>
    private void RulesChanged(long now)
    {
        _rulesBySeries.Clear();
        var selecting = _rules.Where(r => r.Value.Query is not null).ToList();
        foreach (var id in _series.Keys.ToList())
            if (RulesFor(id).Length == 0) _series.Remove(id);
        if (!selecting.Any(r => r.Value.Kind == AlertRuleKind.NoData)) return;
        foreach (var info in _catalog.All)
        {
            if (_series.ContainsKey(info.Id) || _series.Count >= _options.MaxTrackedSeries) continue;
            if (RulesFor(info.Id).Length > 0) _series[info.Id] = new SeriesState(info, Math.Max(_startedAtMs, now - 1));
        }
    }

    private long[] RulesFor(long seriesId)
    {
        if (_rulesBySeries.TryGetValue(seriesId, out var ids)) return ids;
        if (!_catalog.TryGet(seriesId, out var info)) return [];
        ids = _rules.Where(r => r.Value.Query is { } q && q.Selects(info.Name, info.Service, info.Labels)).Select(r => r.Key).ToArray();
        if (_rulesBySeries.Count < _options.MaxTrackedSeries * 4) _rulesBySeries[seriesId] = ids;
        return ids;
    }

    // ---- data arrives -----------------------------------------------------------------------

    private void OnChecks(CheckResultsCommitted batch, long now, List<Change> changes)
    {
        long newestEnd = 0;
        // First update every service, so dependency suppression sees this batch's upstream failures.
        foreach (var c in batch.Results)
        {
            if (!_serviceStates.TryGetValue(c.Service.Id, out var st))
            {
                if (_serviceStates.Count >= _registry.Capacity) continue;
                _serviceStates[c.Service.Id] = st = new ServiceState();
            }
            var r = c.Result;
            st.Status = r.Status;
            st.LatencyMs = r.LatencyMs;
            st.Message = r.Message;
            st.LastAtMs = Math.Max(st.LastAtMs, r.StartedAtMs);
            st.OpenIncidentId = c.OpenIncidentId;
            st.Recent.Enqueue((r.StartedAtMs, r.IsUp, r.LatencyMs));
            while (st.Recent.Count > _options.MaxResultsPerService) st.Recent.Dequeue();
            newestEnd = Math.Max(newestEnd, r.StartedAtMs + (long)r.LatencyMs);
        }
        if (newestEnd > 0) Interlocked.Exchange(ref _lagMs, Math.Max(0, now - newestEnd));
        foreach (var c in batch.Results)
        {
            if (!_serviceStates.TryGetValue(c.Service.Id, out var st)) continue;
            foreach (var (ruleId, rule) in _rules)
            {
                if (!rule.IsCheckRule || rule.Kind == AlertRuleKind.NoData || !Applies(rule, c.Service.Id)) continue;
                EvaluateService(ruleId, rule, c.Service, st, now, changes);
            }
        }
    }

    private void OnSamples(SamplesCommitted batch, long now, List<Change> changes)
    {
        var affected = new HashSet<long>();
        foreach (var (seriesId, ts, value) in batch.Samples)
        {
            var ruleIds = RulesFor(seriesId);
            if (ruleIds.Length == 0) continue;
            if (!_series.TryGetValue(seriesId, out var s))
            {
                if (_series.Count >= _options.MaxTrackedSeries || !_catalog.TryGet(seriesId, out var info)) continue;
                _series[seriesId] = s = new SeriesState(info, ts);
            }
            s.Samples.Enqueue((ts, value));
            while (s.Samples.Count > _options.MaxSamplesPerSeries) s.Samples.Dequeue();
            s.LastSeenMs = Math.Max(s.LastSeenMs, ts);
            affected.Add(seriesId);
        }
        foreach (var id in affected) EvaluateSeries(_series[id], now, changes, noDataToo: true);
    }

    private void Tick(long now, List<Change> changes)
    {
        _touched = new HashSet<ActiveAlert>(ReferenceEqualityComparer.Instance);
        _silences.RemoveAll(s => s.IsExpired(AlertMapping.Time(now)));
        foreach (var s in _series.Values) EvaluateSeries(s, now, changes, noDataToo: true);
        foreach (var (ruleId, rule) in _rules)
        {
            if (rule.Kind != AlertRuleKind.NoData || rule.Query is not null) continue;
            foreach (var service in _registry.All)
            {
                if (!service.Enabled || !Applies(rule, service.Id)) continue;
                var st = _serviceStates.TryGetValue(service.Id, out var known) ? known : null;
                var quietSeconds = (now - Math.Max(st?.LastAtMs ?? 0, Math.Max(_startedAtMs, service.CreatedAtMs))) / 1000.0;
                Interlocked.Increment(ref _evaluations);
                Observe(ruleId, rule, ServiceLabels(rule, service), service.Id, quietSeconds > rule.Threshold, quietSeconds,
                    $"No check results from {service.Name} for {quietSeconds:F0} s (threshold {AlertRuleSpec.Format(rule.Threshold)} s)", now, changes, st);
            }
        }
        // Everything not evaluated above steps with its last condition: pending periods end, repeats fall due, silences end.
        foreach (var a in _active.Values.ToList())
        {
            if (_touched.Contains(a) || !_rules.TryGetValue(a.RuleId, out var rule)) continue;
            var st = a.ServiceId is { } sid && _serviceStates.TryGetValue(sid, out var known) ? known : null;
            // A check alert of a service that was deleted or paused gets no more results: it is over.
            if (rule.IsCheckRule && a.ServiceId is { } serviceId && (!_registry.TryGet(serviceId, out var service) || !service.Enabled)) a.ConditionMet = false;
            Step(a, rule, a.ConditionMet, now, changes, st);
        }
    }

    private static bool Applies(AlertRuleSpec rule, long serviceId) => rule.ServiceIds.Count == 0 || rule.ServiceIds.Contains(serviceId);

    private static readonly Regex s_daysLeft = new(@"in (-?[0-9]+(?:\.[0-9]+)?) days|expired ([0-9]+(?:\.[0-9]+)?) days ago", RegexOptions.CultureInvariant);

    /// <summary>The value, condition and message of a check rule for one service's latest state.</summary>
    private static (bool Met, double? Value, string Message) CheckCondition(AlertRuleSpec rule, ServiceDefinition service, ServiceState st, long now)
    {
        var latency = st.LatencyMs ?? 0;
        switch (rule.Kind)
        {
            case AlertRuleKind.CheckUnhealthy:
                return (st.Status == ServiceStatus.Unhealthy, latency, $"Service {service.Name} is down: {st.Message ?? "check failed"}");
            case AlertRuleKind.CheckDegraded:
                var slow = service.ThresholdMs is { } t && latency > t;
                return (st.Status == ServiceStatus.Degraded, latency, slow
                    ? $"Service {service.Name} is slow: {latency:F0} ms (threshold {service.ThresholdMs} ms)"
                    : $"Service {service.Name} is degraded: {st.Message}");
            case AlertRuleKind.Latency:
            {
                var values = Window(st, rule, now).Select(r => r.LatencyMs).ToList();
                var v = AlertRuleSpec.Aggregate(rule.Aggregation == "avg" && values.Count == 0 ? "last" : rule.Aggregation, values);
                if (v is null) return (false, null, "");
                return (rule.Operator.Holds(v.Value, rule.Threshold), v,
                    $"Service {service.Name} is slow: {v.Value:F0} ms (threshold {AlertRuleSpec.Format(rule.Threshold)} ms)");
            }
            case AlertRuleKind.ErrorRate:
            {
                var window = Window(st, rule, now).ToList();
                if (window.Count == 0) return (false, null, "");
                var rate = 100.0 * window.Count(r => !r.Up) / window.Count;
                return (rule.Operator.Holds(rate, rule.Threshold), rate,
                    $"Service {service.Name} failed {rate:F1}% of checks over {rule.WindowSeconds} s (threshold {AlertRuleSpec.Format(rule.Threshold)}%)");
            }
            case AlertRuleKind.CertExpiry:
            {
                if (service.Type != ServiceType.Tls || st.Message is null) return (false, null, "");
                var m = s_daysLeft.Match(st.Message);
                if (!m.Success) return (false, null, "");
                var days = m.Groups[1].Success
                    ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
                    : -double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                return (rule.Operator.Holds(days, rule.Threshold), days,
                    $"Certificate of {service.Name} expires in {days:F1} days (threshold {AlertRuleSpec.Format(rule.Threshold)} days)");
            }
            default:
                return (false, null, "");
        }
    }

    private static IEnumerable<(long At, bool Up, double LatencyMs)> Window(ServiceState st, AlertRuleSpec rule, long now)
    {
        var from = now - rule.WindowSeconds * 1000L;
        return st.Recent.Where(r => r.At > from);
    }

    private void EvaluateService(long ruleId, AlertRuleSpec rule, ServiceDefinition service, ServiceState st, long now, List<Change> changes)
    {
        Interlocked.Increment(ref _evaluations);
        var (met, value, message) = CheckCondition(rule, service, st, now);
        Observe(ruleId, rule, ServiceLabels(rule, service), service.Id, met, value, message, now, changes, st);
    }

    private void EvaluateSeries(SeriesState s, long now, List<Change> changes, bool noDataToo)
    {
        foreach (var ruleId in RulesFor(s.Info.Id))
        {
            if (!_rules.TryGetValue(ruleId, out var rule)) continue;
            Interlocked.Increment(ref _evaluations);
            var (met, value, message) = SeriesCondition(rule, s, now);
            if (rule.Kind == AlertRuleKind.NoData && !noDataToo) continue;
            Observe(ruleId, rule, SeriesLabels(rule, s.Info), ServiceIdOf(s.Info), met, value, message, now, changes, null);
        }
        // Keep only what the widest window needs.
        var widest = RulesFor(s.Info.Id).Select(id => _rules.TryGetValue(id, out var r) ? r.WindowSeconds : 0).DefaultIfEmpty(0).Max();
        while (s.Samples.Count > 0 && s.Samples.Peek().Ts <= now - widest * 1000L) s.Samples.Dequeue();
    }

    private static (bool Met, double? Value, string Message) SeriesCondition(AlertRuleSpec rule, SeriesState s, long now)
    {
        var selector = Describe(s.Info);
        if (rule.Kind == AlertRuleKind.NoData)
        {
            var quiet = (now - s.LastSeenMs) / 1000.0;
            return (quiet > rule.Threshold, quiet, $"No data for {selector} for {quiet:F0} s (threshold {AlertRuleSpec.Format(rule.Threshold)} s)");
        }
        var from = now - rule.WindowSeconds * 1000L;
        var values = s.Samples.Where(x => x.Ts > from).Select(x => x.Value).ToList();
        var v = AlertRuleSpec.Aggregate(rule.Aggregation, values);
        if (v is null) return (false, null, "");
        return (rule.Operator.Holds(v.Value, rule.Threshold), v,
            $"{selector} {rule.Aggregation} over {rule.WindowSeconds} s is {AlertRuleSpec.Format(v.Value)} ({rule.Operator.ToText()} {AlertRuleSpec.Format(rule.Threshold)})");
    }

    private static string Describe(SeriesInfo info)
    {
        var labels = info.Labels.Select(l => $"{l.Key}=\"{l.Value}\"").ToList();
        if (info.Service.Length > 0) labels.Insert(0, $"service=\"{info.Service}\"");
        return labels.Count == 0 ? info.Name : $"{info.Name}{{{string.Join(",", labels)}}}";
    }

    private long? ServiceIdOf(SeriesInfo info)
    {
        foreach (var (k, v) in info.Labels)
            if (k == "service_id" && long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && _registry.TryGet(id, out _)) return id;
        if (info.Service.Length == 0) return null;
        return _registry.All.FirstOrDefault(s => s.Name == info.Service)?.Id;
    }

    private static SortedDictionary<string, string> ServiceLabels(AlertRuleSpec rule, ServiceDefinition service)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in rule.Labels) labels[k] = v;
        labels["alertname"] = rule.Name;
        labels["severity"] = AlertRuleSpec.SeverityName(rule.Severity);
        labels["service"] = service.Name;
        labels["serviceId"] = service.Id.ToString(CultureInfo.InvariantCulture);
        return labels;
    }

    private static SortedDictionary<string, string> SeriesLabels(AlertRuleSpec rule, SeriesInfo info)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in info.Labels) labels[k] = v;
        foreach (var (k, v) in rule.Labels) labels[k] = v;
        if (info.Service.Length > 0) labels["service"] = info.Service;
        labels["metric"] = info.Name;
        labels["alertname"] = rule.Name;
        labels["severity"] = AlertRuleSpec.SeverityName(rule.Severity);
        return labels;
    }

    /// <summary>Rule id plus the labels that identify the instance (not the rule's name or severity, which can be edited).</summary>
    public static string Fingerprint(long ruleId, IReadOnlyDictionary<string, string> labels)
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            if (k is "alertname" or "severity") continue;
            sb.Append(k).Append('\u001f').Append(v).Append('\u001e');
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString()));
        return $"{ruleId}-{Convert.ToHexStringLower(hash.AsSpan(0, 8))}";
    }

    // ---- the state machine, with silences, suppression and notices ---------------------------

    private void Observe(long ruleId, AlertRuleSpec rule, IReadOnlyDictionary<string, string> labels, long? serviceId, bool met, double? value,
        string message, long now, List<Change> changes, ServiceState? st)
    {
        var fingerprint = Fingerprint(ruleId, labels);
        if (_active.TryGetValue(fingerprint, out var a))
        {
            a.Value = value ?? a.Value;
            if (met && message.Length > 0) a.Message = message;
            a.ConditionMet = met;
            Step(a, rule, met, now, changes, st);
            return;
        }
        if (!met)
        {
            _resolvedByHand.Remove(fingerprint);
            return;
        }
        if (_resolvedByHand.Contains(fingerprint)) return;
        if (_active.Count >= _options.MaxActiveAlerts)
        {
            if (Interlocked.Increment(ref _droppedAlerts) == 1) LogCapacity(_options.MaxActiveAlerts);
            return;
        }
        a = new ActiveAlert
        {
            RuleId = ruleId,
            RuleName = rule.Name,
            Fingerprint = fingerprint,
            Severity = rule.Severity,
            Message = message,
            Labels = new Dictionary<string, string>(labels),
            ServiceId = serviceId,
            IncidentId = st?.OpenIncidentId,
            Value = value,
            Tracker = AlertTracker.Start(now),
        };
        _active[fingerprint] = a;
        UpdateMuting(a, now);
        if (rule.ForSeconds > 0) changes.Add(new Change(a, a.ToDto(), "pending", SystemActor, null));
        Step(a, rule, true, now, changes, st);
    }

    private void Step(ActiveAlert a, AlertRuleSpec rule, bool met, long now, List<Change> changes, ServiceState? st)
    {
        _touched.Add(a);
        var persist = false;
        if (a.IncidentId is null && st?.OpenIncidentId is { } incident)
        {
            a.IncidentId = incident;
            persist = true;
        }
        var wasMuted = a.Silenced || a.Suppressed;
        var (silenced, suppressed) = (a.Silenced, a.Suppressed);
        UpdateMuting(a, now);
        if (a.Silenced != silenced || a.Suppressed != suppressed) persist = true;

        var transition = a.Tracker.Step(met, now, rule.ForSeconds * 1000L, rule.RepeatIntervalSeconds * 1000L);
        switch (transition)
        {
            case AlertTransition.Firing:
                var notify = !a.Silenced && !a.Suppressed;
                if (notify) a.NotificationsSent++;
                changes.Add(new Change(a, a.ToDto(), "firing", SystemActor, MutedDetail(a))
                {
                    NoticeKind = notify ? "firing" : null,
                    NoticeKey = "firing",
                    AggregateServiceId = a.Severity == AlertSeverity.Critical ? a.ServiceId : null,
                });
                return;
            case AlertTransition.Repeat:
                var send = !a.Silenced && !a.Suppressed;
                if (send) a.NotificationsSent++;
                changes.Add(new Change(a, a.ToDto(), "repeat", SystemActor, send ? $"repeat {a.Tracker.RepeatCount}" : $"repeat {a.Tracker.RepeatCount} not sent: {MutedDetail(a)}")
                {
                    NoticeKind = send ? "repeat" : null,
                    NoticeKey = $"repeat:{a.Tracker.RepeatCount}",
                });
                return;
            case AlertTransition.Resolved:
            case AlertTransition.Cleared:
                Finish(a, changes, SystemActor, transition == AlertTransition.Cleared ? "condition cleared before the pending period ended" : null);
                return;
        }
        // A silence or suppression ended on a firing alert nobody was told about: tell them now.
        if (wasMuted && !a.Silenced && !a.Suppressed && a.Tracker.State == AlertState.Firing && a.NotificationsSent == 0)
        {
            a.NotificationsSent++;
            a.Tracker.LastNotifiedAtMs = now;
            changes.Add(new Change(a, a.ToDto(), "notified", SystemActor, "silence or suppression ended") { NoticeKind = "firing", NoticeKey = "firing" });
            return;
        }
        if (persist) changes.Add(new Change(a, a.ToDto(), null, SystemActor, null));
    }

    /// <summary>Records the end of an alert (by the engine, by hand, or because its rule went away) and sends the resolved notice when a firing notice went out.</summary>
    private void Finish(ActiveAlert a, List<Change> changes, string actor, string? detail)
    {
        _active.Remove(a.Fingerprint);
        var notify = a.NotificationsSent > 0;
        changes.Add(new Change(a, a.ToDto(), "resolved", actor, detail)
        {
            NoticeKind = notify ? "resolved" : null,
            NoticeKey = "resolved",
        });
    }

    private static string? MutedDetail(ActiveAlert a) =>
        a.Suppressed ? $"suppressed: upstream incident {a.SuppressedByIncidentId}" : a.Silenced ? "silenced" : null;

    /// <summary>Silenced when an active silence matches the labels; suppressed when a service it depends on is down.</summary>
    private void UpdateMuting(ActiveAlert a, long now)
    {
        var at = AlertMapping.Time(now);
        a.Silenced = _silences.Any(s => s.IsActive(at) && s.Matches(a.Labels));
        a.Suppressed = false;
        a.SuppressedByIncidentId = null;
        if (a.ServiceId is not { } sid || !_registry.TryGet(sid, out var service)) return;
        foreach (var upstream in service.DependsOn)
        {
            if (!_serviceStates.TryGetValue(upstream, out var up) || up.Status != ServiceStatus.Unhealthy) continue;
            a.Suppressed = true;
            a.SuppressedByIncidentId = up.OpenIncidentId;
            if (up.OpenIncidentId is not null) return;
        }
    }

    // ---- preview ------------------------------------------------------------------------------

    private const int MaxPreviewItems = 200;

    private List<AlertRulePreviewItem> Preview(AlertRuleSpec rule, long now)
    {
        var items = new List<AlertRulePreviewItem>();
        if (rule.Query is { } query)
        {
            foreach (var info in _catalog.All.Where(i => query.Selects(i.Name, i.Service, i.Labels)).OrderBy(i => i.Id).Take(MaxPreviewItems))
            {
                var labels = SeriesLabels(rule, info);
                if (_series.TryGetValue(info.Id, out var s))
                {
                    var (met, value, _) = SeriesCondition(rule, s, now);
                    items.Add(new AlertRulePreviewItem(labels, value, met));
                }
                else items.Add(new AlertRulePreviewItem(labels, null, false)); // not tracked yet: no samples since a rule selected it
            }
            return items;
        }
        foreach (var service in _registry.All.Where(s => Applies(rule, s.Id)).OrderBy(s => s.Id).Take(MaxPreviewItems))
        {
            var st = _serviceStates.TryGetValue(service.Id, out var known) ? known : new ServiceState();
            if (rule.Kind == AlertRuleKind.NoData)
            {
                var quiet = (now - Math.Max(st.LastAtMs, Math.Max(_startedAtMs, service.CreatedAtMs))) / 1000.0;
                items.Add(new AlertRulePreviewItem(ServiceLabels(rule, service), quiet, quiet > rule.Threshold));
                continue;
            }
            var (met, value, _) = CheckCondition(rule, service, st, now);
            items.Add(new AlertRulePreviewItem(ServiceLabels(rule, service), value, met));
        }
        return items;
    }
}
