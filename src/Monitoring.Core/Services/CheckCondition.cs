namespace Monitoring.Core.Services;

/// <summary>
/// A condition on a check's response. <see cref="Kind"/> says what is compared:
/// <c>statusCode</c> (value: comma list of codes or classes like <c>2xx</c>),
/// <c>bodyContains</c> (value), <c>jsonPath</c> (key: <c>$.a.b[0]</c>, value: expected text),
/// <c>header</c> (key: header name, value: expected text), <c>latencyMs</c> (op, value),
/// <c>certExpiryDays</c> (op, value), <c>diskFreePercent</c> / <c>memoryUsedPercent</c> (op, value),
/// <c>tlsAllowUntrusted</c> (value <c>true</c>: a tls check accepts a self-signed or private-CA
/// certificate and still watches its expiry).
/// </summary>
public sealed record CheckCondition(string Kind, string? Key, string? Op, string Value)
{
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "statusCode", "bodyContains", "jsonPath", "header", "latencyMs", "certExpiryDays", "diskFreePercent", "memoryUsedPercent",
        "tlsAllowUntrusted",
    };

    public static readonly IReadOnlySet<string> Operators = new HashSet<string> { ">", ">=", "<", "<=", "==", "!=" };

    public static bool Compare(double actual, string? op, double expected) => (op ?? "==") switch
    {
        ">" => actual > expected,
        ">=" => actual >= expected,
        "<" => actual < expected,
        "<=" => actual <= expected,
        "!=" => actual != expected,
        _ => actual == expected,
    };
}
