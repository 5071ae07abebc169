using System.Globalization;
using Monitoring.Core.Metrics;

namespace Monitoring.Core.Alerts;

/// <summary>A validated alert rule: what the engine evaluates and the store keeps.</summary>
public sealed record AlertRuleSpec(
    string Name,
    string? Description,
    AlertRuleKind Kind,
    string? QueryText,
    AlertQuery? Query,
    ComparisonOperator Operator,
    double Threshold,
    int ForSeconds,
    int WindowSeconds,
    string Aggregation,
    AlertSeverity Severity,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<long> ChannelIds,
    IReadOnlyList<long> ServiceIds,
    int RepeatIntervalSeconds,
    bool Enabled)
{
    public const int MaxLabels = 32;
    public const int MaxIds = 100;
    public const int MaxForSeconds = 7 * 86_400;
    public const int MaxWindowSeconds = 86_400;
    public const int DefaultRepeatSeconds = 3_600;
    public static readonly string[] KindNames = ["metric", "check_unhealthy", "check_degraded", "latency", "error_rate", "cert_expiry", "no_data"];
    public static readonly string[] AggregationNames = ["avg", "min", "max", "sum", "count", "last", "p95", "p99"];

    public static string KindName(AlertRuleKind kind) => KindNames[(int)kind];

    public static bool TryParseKind(string? text, out AlertRuleKind kind)
    {
        var i = Array.IndexOf(KindNames, (text ?? "").Trim().ToLowerInvariant());
        kind = i < 0 ? default : (AlertRuleKind)i;
        return i >= 0;
    }

    public static string SeverityName(AlertSeverity s) => s.ToString().ToLowerInvariant();

    public static bool TryParseSeverity(string? text, out AlertSeverity severity)
    {
        severity = default;
        return !string.IsNullOrWhiteSpace(text) && !char.IsDigit(text[0]) && text[0] != '-'
            && Enum.TryParse(text, ignoreCase: true, out severity) && Enum.IsDefined(severity);
    }

    /// <summary>Whether the rule reads check results of services (as opposed to metric series).</summary>
    public bool IsCheckRule => Kind is not (AlertRuleKind.Metric or AlertRuleKind.NoData) || (Kind == AlertRuleKind.NoData && Query is null);

    /// <summary>
    /// Checks every field of the input; errors are keyed by field name. Kind-specific defaults: the
    /// status kinds need no threshold; latency (ms), error_rate (%), cert_expiry (days, default
    /// operator &lt;) and no_data (seconds) need one; metric needs a query and a comparison, given as
    /// fields or at the end of the query (<c>cpu_usage{host="a"} &gt; 80</c>).
    /// </summary>
    public static AlertRuleSpec? Validate(AlertRuleInput input, Dictionary<string, string[]> errors)
    {
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors["name"] = ["Name is required."];
        else if (name.Length > 200) errors["name"] = ["Name is at most 200 characters."];
        if (input.Description is { Length: > 2000 }) errors["description"] = ["Description is at most 2000 characters."];

        var kind = AlertRuleKind.Metric;
        if (input.Kind is not null && !TryParseKind(input.Kind, out kind))
            errors["kind"] = [$"Unknown kind '{input.Kind}'; one of {string.Join(", ", KindNames)}."];

        AlertQuery? query = null;
        var queryText = string.IsNullOrWhiteSpace(input.Query) ? null : input.Query.Trim();
        if (queryText is not null)
        {
            query = AlertQuery.TryParse(queryText, out var position, out var queryError);
            if (query is null) errors["query"] = [$"{queryError} (position {position})"];
            else if (kind != AlertRuleKind.Metric && kind != AlertRuleKind.NoData)
                errors["query"] = [$"A {KindName(kind)} rule reads check results and takes serviceIds, not a query."];
        }
        else if (kind == AlertRuleKind.Metric && !errors.ContainsKey("kind"))
            errors["query"] = ["A metric rule needs a query, e.g. cpu_usage{host=\"a\"}."];

        var op = kind == AlertRuleKind.CertExpiry ? ComparisonOperator.LessThan : ComparisonOperator.GreaterThan;
        if (input.Operator is not null)
        {
            if (!Comparison.TryParse(input.Operator, out op))
                errors["operator"] = [$"Unknown operator '{input.Operator}'; one of {Comparison.AllowedText}."];
            else if (query?.Operator is { } inQuery && inQuery != op)
                errors["operator"] = ["The operator differs from the comparison written in the query."];
        }
        else if (query?.Operator is { } inQuery) op = inQuery;
        else if (kind == AlertRuleKind.Metric && query is not null)
            errors["operator"] = [$"Operator is required for a metric rule; one of {Comparison.AllowedText}."];

        var threshold = input.Threshold ?? query?.Threshold;
        if (input.Threshold is { } t && !double.IsFinite(t)) errors["threshold"] = ["Threshold must be a finite number."];
        else if (input.Threshold is { } given && query?.Threshold is { } written && given != written)
            errors["threshold"] = ["The threshold differs from the one written in the query."];
        else if (threshold is null && kind is AlertRuleKind.Metric or AlertRuleKind.Latency or AlertRuleKind.ErrorRate or AlertRuleKind.CertExpiry or AlertRuleKind.NoData
                 && !errors.ContainsKey("query") && !errors.ContainsKey("kind"))
            errors["threshold"] = [kind switch
            {
                AlertRuleKind.Latency => "Threshold (milliseconds) is required for a latency rule.",
                AlertRuleKind.ErrorRate => "Threshold (percent of failed checks) is required for an error_rate rule.",
                AlertRuleKind.CertExpiry => "Threshold (days left) is required for a cert_expiry rule.",
                AlertRuleKind.NoData => "Threshold (seconds without data) is required for a no_data rule.",
                _ => "Threshold is required for a metric rule.",
            }];
        if (kind == AlertRuleKind.NoData && threshold is { } quiet && quiet < 1) errors["threshold"] = ["A no_data threshold is at least 1 second."];

        var forSeconds = input.ForSeconds ?? 0;
        if (forSeconds < 0 || forSeconds > MaxForSeconds) errors["forSeconds"] = [$"ForSeconds must be between 0 and {MaxForSeconds}."];
        var window = input.WindowSeconds ?? 60;
        if (window < 1 || window > MaxWindowSeconds) errors["windowSeconds"] = [$"WindowSeconds must be between 1 and {MaxWindowSeconds}."];
        var aggregation = (input.Aggregation ?? "avg").Trim().ToLowerInvariant();
        if (Array.IndexOf(AggregationNames, aggregation) < 0)
            errors["aggregation"] = [$"Unknown aggregation '{input.Aggregation}'; one of {string.Join(", ", AggregationNames)}."];

        var severity = AlertSeverity.Warning;
        if (input.Severity is not null && !TryParseSeverity(input.Severity, out severity))
            errors["severity"] = ["Unknown severity '" + input.Severity + "'; one of info, warning, error, critical."];

        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (input.Labels is { } inputLabels)
        {
            if (inputLabels.Count > MaxLabels) errors["labels"] = [$"At most {MaxLabels} labels."];
            foreach (var (k, v) in inputLabels)
            {
                if (!MetricNaming.IsValidLabelName(k)) errors[$"labels.{k}"] = [$"'{k}' is not a valid label name (letters, digits, _; not starting with a digit or __)."];
                else if (v is null || v.Length > 200) errors[$"labels.{k}"] = ["A label value is a string of at most 200 characters."];
                else if (k is "alertname" or "severity" or "service" or "serviceId") errors[$"labels.{k}"] = [$"'{k}' is set by the engine."];
                else labels[k] = v;
            }
        }
        var channelIds = Ids(input.ChannelIds, "channelIds", errors);
        var serviceIds = Ids(input.ServiceIds, "serviceIds", errors);
        if (serviceIds.Count > 0 && kind == AlertRuleKind.Metric) errors["serviceIds"] = ["A metric rule selects series by its query, not serviceIds."];

        var repeat = input.RepeatIntervalSeconds ?? DefaultRepeatSeconds;
        if (repeat < 0 || repeat > MaxForSeconds) errors["repeatIntervalSeconds"] = [$"RepeatIntervalSeconds must be between 0 (never) and {MaxForSeconds}."];

        if (errors.Count > 0) return null;
        return new AlertRuleSpec(name!, input.Description, kind, queryText, query, op, threshold ?? 0, forSeconds, window, aggregation, severity,
            labels, channelIds, serviceIds, repeat, input.Enabled ?? true);
    }

    private static List<long> Ids(IReadOnlyList<long>? ids, string field, Dictionary<string, string[]> errors)
    {
        if (ids is null) return [];
        if (ids.Count > MaxIds) errors[field] = [$"At most {MaxIds} ids."];
        else if (ids.Any(i => i <= 0)) errors[field] = ["Ids are positive numbers."];
        return ids.Distinct().ToList();
    }

    /// <summary>Aggregates window values the way the rule says. Null when there are none.</summary>
    public static double? Aggregate(string aggregation, IReadOnlyList<double> values)
    {
        if (values.Count == 0) return aggregation == "count" ? 0 : null;
        switch (aggregation)
        {
            case "min": return values.Min();
            case "max": return values.Max();
            case "sum": return values.Sum();
            case "count": return values.Count;
            case "last": return values[^1];
            case "p95":
            case "p99":
                var sorted = values.Order().ToArray();
                var q = aggregation == "p95" ? 0.95 : 0.99;
                // nearest rank
                var rank = (int)Math.Ceiling(q * sorted.Length) - 1;
                return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
            default: return values.Average();
        }
    }

    public static string Format(double value) => value.ToString(Math.Abs(value) >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);
}
