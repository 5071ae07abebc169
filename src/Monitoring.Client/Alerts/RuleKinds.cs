using System.Globalization;
using Monitoring.Core.Alerts;

namespace Monitoring.Client.Alerts;

/// <summary>
/// What each rule kind asks for and how a rule reads as one line ("cpu_usage{host="a"} > 80 for 60s").
/// The threshold means something different per kind; <see cref="ThresholdUnit"/> says what.
/// </summary>
public static class RuleKinds
{
    public const string Metric = "metric";
    public const string CheckUnhealthy = "check_unhealthy";
    public const string CheckDegraded = "check_degraded";
    public const string Latency = "latency";
    public const string ErrorRate = "error_rate";
    public const string CertExpiry = "cert_expiry";
    public const string NoData = "no_data";

    public static readonly IReadOnlyList<string> All = [Metric, CheckUnhealthy, CheckDegraded, Latency, ErrorRate, CertExpiry, NoData];

    public static readonly IReadOnlyList<string> Operators = [">", ">=", "<", "<=", "==", "!="];

    public static readonly IReadOnlyList<string> Aggregations = ["avg", "min", "max", "sum", "count", "last", "p95", "p99"];

    public static string Label(string? kind) => kind switch
    {
        CheckUnhealthy => "Service unhealthy",
        CheckDegraded => "Service degraded",
        Latency => "Latency",
        ErrorRate => "Error rate",
        CertExpiry => "Certificate expiry",
        NoData => "No data",
        _ => "Metric threshold",
    };

    /// <summary>Built-in kinds read check results of services; only the metric kind has a query.</summary>
    public static bool UsesServices(string? kind) => kind is not (null or Metric);

    public static bool UsesThreshold(string? kind) => kind is not (CheckUnhealthy or CheckDegraded);

    public static bool UsesOperator(string? kind) => kind is null or Metric or Latency or ErrorRate or CertExpiry;

    public static bool UsesWindow(string? kind) => kind is null or Metric or Latency or ErrorRate;

    public static bool UsesAggregation(string? kind) => kind is null or Metric or Latency;

    public static string ThresholdLabel(string? kind) => kind switch
    {
        Latency => "Latency threshold (ms)",
        ErrorRate => "Error rate threshold (%)",
        CertExpiry => "Days before expiry",
        NoData => "No data for (seconds)",
        _ => "Threshold",
    };

    public static string ThresholdUnit(string? kind) => kind switch
    {
        Latency => " ms",
        ErrorRate => " %",
        CertExpiry => " days",
        NoData => " s",
        _ => "",
    };

    /// <summary>The default operator per kind: "fewer days than" for certificates, "above" for the rest.</summary>
    public static string DefaultOperator(string? kind) => kind == CertExpiry ? "<" : ">";

    public static string Condition(AlertRuleDto rule) =>
        Condition(rule.Kind, rule.Query, rule.Operator, rule.Threshold, rule.ForSeconds, rule.WindowSeconds, rule.Aggregation);

    public static string Condition(string? kind, string? query, string? op, double? threshold, int forSeconds, int windowSeconds, string? aggregation)
    {
        var value = threshold is { } t ? t.ToString("0.###", CultureInfo.InvariantCulture) + ThresholdUnit(kind) : "?";
        var over = windowSeconds > 0 && windowSeconds != 60 || aggregation is { Length: > 0 } a && a != "avg"
            ? $" ({aggregation ?? "avg"} over {windowSeconds}s)"
            : "";
        var text = kind switch
        {
            CheckUnhealthy => "service is unhealthy",
            CheckDegraded => "service is degraded",
            Latency => $"latency {op} {value}{over}",
            ErrorRate => $"error rate {op} {value}{(windowSeconds > 0 ? $" over {windowSeconds}s" : "")}",
            CertExpiry => $"certificate expires in {op} {value}",
            NoData => $"no data for {value}",
            _ => $"{query} {op} {value}{over}",
        };
        return forSeconds > 0 ? $"{text} for {forSeconds}s" : text;
    }
}
