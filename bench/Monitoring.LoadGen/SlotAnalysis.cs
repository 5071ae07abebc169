using Monitoring.Core.Checks;

namespace Monitoring.LoadGen;

/// <summary>What the history of all services says about the measured window.</summary>
public sealed record SlotFigures(
    long ExpectedSlots,
    long ResultsInWindow,
    long MissedSlots,
    long DoubledSlots,
    long OffPhaseResults,
    int ServicesWithMisses,
    Distribution StartLagMs,
    long LagOver20Ms,
    long LagOver100Ms,
    long LagOver1000Ms,
    Dictionary<string, long> Statuses,
    Distribution CheckLatencyMs,
    List<SecondFigures> WorstSeconds,
    List<SecondFigures> PerSecond,
    List<string> Examples);

/// <summary>Start lag of the checks due in one second of the window: shows whether lag comes in bursts (GC, commits).</summary>
public sealed record SecondFigures(int Second, int Checks, double P99LagMs, double MaxLagMs);

/// <summary>
/// Compares each service's results with the slots the scheduler owes it: <c>phase + k·interval</c>
/// (the same <see cref="ScheduleMath"/> the server uses). A slot in the window with no result is
/// missed, a slot with more than one is doubled, a result whose due time is not on the service's
/// grid is off-phase. Only slots due inside [start, end) count.
/// </summary>
public static class SlotAnalysis
{
    public static SlotFigures Analyse(IReadOnlyDictionary<long, List<HistoryEntry>> histories, long intervalMs, long windowStartMs, long windowEndMs)
    {
        long expected = 0, inWindow = 0, missed = 0, doubled = 0, offPhase = 0;
        var servicesWithMisses = 0;
        var lags = new List<double>(histories.Count * (int)Math.Max(1, (windowEndMs - windowStartMs) / intervalMs + 1));
        var latencies = new List<double>(lags.Capacity);
        var statuses = new Dictionary<string, long>(StringComparer.Ordinal);
        var perSecond = new Dictionary<int, List<double>>();
        var examples = new List<string>();

        foreach (var (id, results) in histories)
        {
            var phase = ScheduleMath.Phase(id, intervalMs);
            var bySlot = new Dictionary<long, int>();
            foreach (var r in results)
            {
                if (r.DueAt is not { } dueAt) continue; // on-demand checks have no slot
                var due = dueAt.ToUnixTimeMilliseconds();
                if (due < windowStartMs || due >= windowEndMs) continue;
                inWindow++;
                var lag = (double)(r.CheckedAt.ToUnixTimeMilliseconds() - due);
                lags.Add(lag);
                latencies.Add(r.ResponseTimeMs);
                statuses[r.Status] = statuses.GetValueOrDefault(r.Status) + 1;
                var second = (int)((due - windowStartMs) / 1000);
                if (!perSecond.TryGetValue(second, out var list)) perSecond[second] = list = [];
                list.Add(lag);
                if (FloorMod(due - phase, intervalMs) != 0)
                {
                    offPhase++;
                    if (examples.Count < 10) examples.Add($"service {id}: result due {dueAt:O} is off its phase {phase} ms");
                    continue;
                }
                bySlot[due] = bySlot.GetValueOrDefault(due) + 1;
            }

            var missedHere = 0;
            for (var slot = ScheduleMath.NextDueAtOrAfter(windowStartMs, phase, intervalMs); slot < windowEndMs; slot += intervalMs)
            {
                expected++;
                var count = bySlot.GetValueOrDefault(slot);
                if (count == 0)
                {
                    missedHere++;
                    if (examples.Count < 10) examples.Add($"service {id}: slot {DateTimeOffset.FromUnixTimeMilliseconds(slot):O} missed");
                }
                else if (count > 1)
                {
                    doubled += count - 1;
                    if (examples.Count < 10) examples.Add($"service {id}: slot {DateTimeOffset.FromUnixTimeMilliseconds(slot):O} ran {count} times");
                }
            }
            missed += missedHere;
            if (missedHere > 0) servicesWithMisses++;
        }

        var lagDistribution = Distribution.Of(lags);
        var seconds = perSecond
            .Select(kv =>
            {
                var sorted = kv.Value.ToArray();
                Array.Sort(sorted);
                return new SecondFigures(kv.Key, sorted.Length, Distribution.Rank(sorted, 0.99), sorted[^1]);
            })
            .OrderBy(s => s.Second)
            .ToList();
        var worst = seconds.OrderByDescending(s => s.MaxLagMs).ThenBy(s => s.Second).Take(5).ToList();

        return new SlotFigures(expected, inWindow, missed, doubled, offPhase, servicesWithMisses, lagDistribution,
            lags.Count(l => l > 20), lags.Count(l => l > 100), lags.Count(l => l > 1000),
            statuses, Distribution.Of(latencies), worst, seconds, examples);
    }

    private static long FloorMod(long a, long b) => ((a % b) + b) % b;
}
