namespace Monitoring.Core.Checks;

/// <summary>
/// Time-weighted uptime. Each check result's status holds from its time until the next
/// result, but never longer than <c>maxSpanMs</c> (time the monitor was not looking is not
/// observed). Uptime = up time / observed time within the window.
/// </summary>
public static class UptimeMath
{
    public readonly record struct Span(long UpMs, long ObservedMs)
    {
        public static Span operator +(Span a, Span b) => new(a.UpMs + b.UpMs, a.ObservedMs + b.ObservedMs);
        public double? Percent => ObservedMs == 0 ? null : 100.0 * UpMs / ObservedMs;
    }

    /// <summary>
    /// Sums up and observed time inside [fromMs, toMs) of results given oldest first.
    /// The last result's status extends to <paramref name="nowMs"/> (capped).
    /// </summary>
    public static Span Accumulate(IReadOnlyList<(long AtMs, bool Up)> oldestFirst, long fromMs, long toMs, long nowMs, long maxSpanMs)
    {
        long up = 0, observed = 0;
        for (var i = 0; i < oldestFirst.Count; i++)
        {
            var (at, isUp) = oldestFirst[i];
            var end = i + 1 < oldestFirst.Count ? oldestFirst[i + 1].AtMs : nowMs;
            end = Math.Min(end, at + maxSpanMs);
            var s = Math.Max(at, fromMs);
            var e = Math.Min(end, toMs);
            if (e <= s) continue;
            observed += e - s;
            if (isUp) up += e - s;
        }
        return new Span(up, observed);
    }

    /// <summary>Mean time to recovery over closed incident durations; null when there are none.</summary>
    public static double? MeanSeconds(IReadOnlyCollection<double> durationsSeconds) =>
        durationsSeconds.Count == 0 ? null : durationsSeconds.Average();

    public static long PeriodMs(string period) => period switch
    {
        "24h" => 24L * 3600_000,
        "7d" => 7L * 24 * 3600_000,
        "30d" => 30L * 24 * 3600_000,
        "90d" => 90L * 24 * 3600_000,
        _ => throw new ArgumentException($"Unknown period '{period}'.", nameof(period)),
    };

    public static readonly string[] Periods = ["24h", "7d", "30d", "90d"];
}
