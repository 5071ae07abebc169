namespace Monitoring.Core.Metrics;

/// <summary>One sample as posted to <c>POST /api/v1/metrics</c>.</summary>
public sealed class MetricSampleInput
{
    public string? Name { get; set; }
    public string? Type { get; set; }
    public double? Value { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public string? Service { get; set; }
    public DateTimeOffset? Timestamp { get; set; }
}

/// <summary>A sample that passed validation, with its series key computed.</summary>
public readonly record struct ValidSample(
    string Key, string Name, MetricType Type, string Service, KeyValuePair<string, string>[] Labels, long TimestampMs, double Value);

/// <summary>
/// Validates a whole request: every bad sample is reported under <c>[index].field</c> and, if
/// any is bad, none is accepted.
/// </summary>
public static class MetricSampleValidator
{
    public const int MaxServiceLength = 200;

    /// <param name="oldestMs">Samples before this are older than raw retention and rejected.</param>
    /// <param name="newestMs">Samples after this are too far in the future and rejected.</param>
    public static ValidSample[]? Validate(IReadOnlyList<MetricSampleInput?> inputs, long nowMs, long oldestMs, long newestMs, Dictionary<string, string[]> errors)
    {
        var valid = new ValidSample[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            var s = inputs[i];
            var at = $"[{i}]";
            if (s is null)
            {
                errors[at] = ["A sample must be an object."];
                continue;
            }
            var ok = true;
            if (!MetricNaming.IsValidMetricName(s.Name))
            {
                errors[$"{at}.name"] = [$"'{s.Name}' is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*, at most {MetricNaming.MaxNameLength} characters)."];
                ok = false;
            }
            if (!MetricTypes.TryParse(s.Type, out var type))
            {
                errors[$"{at}.type"] = [$"'{s.Type}' is not a metric type; one of {string.Join(", ", MetricTypes.All)}."];
                ok = false;
            }
            if (s.Value is not { } value || !double.IsFinite(value))
            {
                errors[$"{at}.value"] = ["A finite number is required (NaN and Infinity are not accepted)."];
                ok = false;
                value = 0;
            }
            else if (type == MetricType.Counter && value < 0)
            {
                errors[$"{at}.value"] = ["A counter cannot be negative."];
                ok = false;
            }
            if (s.Labels is { } labels)
            {
                if (labels.Count > MetricNaming.MaxLabels)
                {
                    errors[$"{at}.labels"] = [$"At most {MetricNaming.MaxLabels} labels."];
                    ok = false;
                }
                foreach (var (k, v) in labels)
                {
                    if (!MetricNaming.IsValidLabelName(k))
                    {
                        errors[$"{at}.labels.{k}"] = [$"'{k}' is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)."];
                        ok = false;
                    }
                    else if (v is null || v.Length > MetricNaming.MaxLabelValueLength || v.Contains('\0'))
                    {
                        errors[$"{at}.labels.{k}"] = [$"A label value is a string of at most {MetricNaming.MaxLabelValueLength} characters without NUL."];
                        ok = false;
                    }
                }
            }
            var service = s.Service ?? "";
            if (service.Length > MaxServiceLength || service.Contains('\0'))
            {
                errors[$"{at}.service"] = [$"At most {MaxServiceLength} characters."];
                ok = false;
            }
            var ts = s.Timestamp?.ToUnixTimeMilliseconds() ?? nowMs;
            if (ts < oldestMs || ts > newestMs)
            {
                errors[$"{at}.timestamp"] = [ts < oldestMs ? "The timestamp is older than raw-sample retention." : "The timestamp is too far in the future."];
                ok = false;
            }
            if (!ok) continue;
            var sorted = SeriesKey.SortLabels(s.Labels);
            valid[i] = new ValidSample(SeriesKey.Build(s.Name!, service, sorted), s.Name!, type, service, sorted, ts, value);
        }
        return errors.Count == 0 ? valid : null;
    }
}
