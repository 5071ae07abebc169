using System.Globalization;
using Monitoring.Core.Services;

namespace Monitoring.Web.Checks;

/// <summary>
/// Shared reading of <see cref="CheckCondition"/>s for the checkers: kind matching (case-insensitive,
/// like the validator's set), numeric comparison with a per-kind default operator, and a short
/// description used in "condition failed" messages.
/// </summary>
internal static class ConditionRules
{
    public const string StatusCode = "statusCode";
    public const string BodyContains = "bodyContains";
    public const string JsonPath = "jsonPath";
    public const string Header = "header";
    public const string LatencyMs = "latencyMs";
    public const string CertExpiryDays = "certExpiryDays";
    public const string TlsAllowUntrusted = "tlsAllowUntrusted";
    public const string DiskFreePercent = "diskFreePercent";
    public const string MemoryUsedPercent = "memoryUsedPercent";

    public static bool Is(this CheckCondition condition, string kind) =>
        string.Equals(condition.Kind, kind, StringComparison.OrdinalIgnoreCase);

    public static IEnumerable<CheckCondition> OfKind(this ServiceDefinition service, string kind) =>
        service.Conditions.Where(c => c.Is(kind));

    /// <summary>True when "!=" asks for the opposite of a text condition (body must not contain, ...).</summary>
    public static bool IsNegated(this CheckCondition condition) => condition.Op == "!=";

    public static bool TryParseNumber(string? text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// Compares <paramref name="actual"/> with the condition's number. Without an operator the
    /// kind's natural one applies (a latency is a maximum, days left a minimum, ...), because a
    /// bare "==" on a measured figure would almost never hold. An unparsable value fails.
    /// </summary>
    public static bool Holds(this CheckCondition condition, double actual, string defaultOp) =>
        TryParseNumber(condition.Value, out var expected) && CheckCondition.Compare(actual, condition.Op ?? defaultOp, expected);

    public static string Describe(this CheckCondition condition, string? defaultOp = null)
    {
        var op = condition.Op ?? defaultOp;
        var key = string.IsNullOrEmpty(condition.Key) ? "" : $" {condition.Key}";
        return op is null ? $"{condition.Kind}{key} '{condition.Value}'" : $"{condition.Kind}{key} {op} {condition.Value}";
    }

    public static string Failed(this CheckCondition condition, string actual, string? defaultOp = null) =>
        $"Condition failed: {condition.Describe(defaultOp)} (actual: {actual}).";

    public static string Format(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
