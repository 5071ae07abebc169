using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Monitoring.LoadGen;

public sealed record ReportOptions(int Services, int IntervalSeconds, int DurationSeconds, int WarmupSeconds, int TimeoutMs, int? Concurrency, double ApiRps, int Parallel,
    double SlowFraction, int SlowMs, int TargetHosts)
{
    public static ReportOptions From(LoadGenOptions o) =>
        new(o.Services, o.IntervalSeconds, o.DurationSeconds, o.Warmup, o.TimeoutMs, o.Concurrency, o.ApiRps, o.Parallel, o.SlowFraction, o.SlowMs, o.TargetHosts);
}

/// <summary>Everything one run measured; printed as a table and optionally written as JSON.</summary>
public sealed class LoadReport
{
    public ReportOptions Options { get; set; } = null!;
    public DateTimeOffset StartedAt { get; set; }
    public int MachineCores { get; set; }
    public bool ServerStartedByBench { get; set; }
    public string? ServerUrl { get; set; }
    public int? ServerPid { get; set; }
    public string? DataDirectory { get; set; }
    public DateTimeOffset WindowStart { get; set; }
    public DateTimeOffset WindowEnd { get; set; }

    public double RegistrationSeconds { get; set; }
    public Distribution RegistrationLatencyMs { get; set; }

    public SlotFigures? Slots { get; set; }
    public double ChecksPerSecond { get; set; }
    public double ExpectedChecksPerSecond { get; set; }
    public long TargetRequests { get; set; }
    public double TargetRequestsPerSecond { get; set; }

    public int ApiProbes { get; set; }
    public int ApiErrors { get; set; }
    public Distribution ApiLatencyMs { get; set; }

    public Distribution ServerCpuPercent { get; set; }
    public long ServerRssMaxBytes { get; set; }
    public int ServerThreadsMax { get; set; }
    public Distribution MachineBusyPercent { get; set; }
    public Distribution LoadGenCpuPercent { get; set; }
    public Distribution GcCpuMsPerSecond { get; set; }
    public Distribution CpuPressurePercent { get; set; }
    public Distribution RunQueueWaitMsPerSecond { get; set; }

    public double InFlightMax { get; set; }
    public double WriterQueueMax { get; set; }
    public Distribution MetricsScrapeMs { get; set; }
    public long SkippedInWindow { get; set; }
    public long SkippedTotal { get; set; }
    public Dictionary<string, long> ChecksTotalByOutcome { get; set; } = [];
    public double? ServerLagP50UpperBoundSeconds { get; set; }
    public double? ServerLagP99UpperBoundSeconds { get; set; }
    public double? WriterCommitP99UpperBoundSeconds { get; set; }
    public double WriterBatchesPerSecond { get; set; }
    public double WriterMeanBatchSize { get; set; }
    public double WriterCommitSecondsPerSecond { get; set; }
    public long IncidentsOpenedInWindow { get; set; }

    public double DrainSeconds { get; set; }
    public double HistoryReadSeconds { get; set; }
    public string? ServerLogTail { get; set; }

    public List<ProcSample> ProcSamples { get; set; } = [];
    public List<GaugeSample> GaugeSamples { get; set; } = [];

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    public string ToText()
    {
        var sb = new StringBuilder();
        var o = Options;
        var s = Slots;
        void Row(string name, string value) => sb.Append("  ").Append(name.PadRight(30)).Append(value).Append('\n');
        static string Ms(double v) => double.IsNaN(v) ? "-" : v.ToString(v >= 100 ? "F0" : "F1", CultureInfo.InvariantCulture);
        static string Dist(Distribution d, string unit) => d.Count == 0 ? "-" :
            $"p50 {Ms(d.P50)}  p90 {Ms(d.P90)}  p99 {Ms(d.P99)}  max {Ms(d.Max)} {unit}  (n={d.Count:N0})";
        static string Secs(double? v) => v is null ? "-" : double.IsPositiveInfinity(v.Value) ? "> 10 s" : $"≤ {v.Value * 1000:F0} ms";

        sb.Append('\n');
        sb.Append($"== Monitoring load run: {o.Services:N0} services × {o.IntervalSeconds} s interval, {o.DurationSeconds} s measured ==\n");
        Row("started", $"{StartedAt:u}  cores {MachineCores}  server {(ServerStartedByBench ? "started by bench" : "external")} pid {ServerPid?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
        Row("window", $"{WindowStart:HH:mm:ss.fff} – {WindowEnd:HH:mm:ss.fff} UTC (warm-up {o.WarmupSeconds} s, concurrency {o.Concurrency?.ToString(CultureInfo.InvariantCulture) ?? "server default"})");
        if (o.SlowFraction > 0) Row("slow targets", $"{o.SlowFraction:P0} of services answer after {o.SlowMs} ms (timeout {o.TimeoutMs} ms)");
        if (o.TargetHosts > 1) Row("target hosts", $"{o.TargetHosts} (127.0.0.1 – 127.0.0.{o.TargetHosts}, services round-robin)");
        Row("registration", $"{RegistrationSeconds:F1} s ({o.Services / Math.Max(RegistrationSeconds, 1e-9):F0}/s), POST {Dist(RegistrationLatencyMs, "ms")}");
        sb.Append("-- schedule (from history: checkedAt − dueAt, slots due inside the window)\n");
        if (s is not null)
        {
            Row("start lag", Dist(s.StartLagMs, "ms"));
            Row("  lag > 20 / 100 / 1000 ms", $"{s.LagOver20Ms:N0} / {s.LagOver100Ms:N0} / {s.LagOver1000Ms:N0}");
            Row("checks/s", $"{ChecksPerSecond:F1} (expected {ExpectedChecksPerSecond:F1}); results in window {s.ResultsInWindow:N0} of {s.ExpectedSlots:N0} slots");
            Row("missed slots", $"{s.MissedSlots:N0} ({s.ServicesWithMisses:N0} services)");
            Row("doubled slots", $"{s.DoubledSlots:N0}");
            Row("off-phase results", $"{s.OffPhaseResults:N0}");
            Row("outcomes", string.Join("  ", s.Statuses.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value:N0}")));
            Row("check latency", Dist(s.CheckLatencyMs, "ms"));
            Row("worst seconds (by max lag)", string.Join("  ", s.WorstSeconds.Select(w => $"t+{w.Second}s: n={w.Checks} p99 {Ms(w.P99LagMs)} max {Ms(w.MaxLagMs)}")));
            foreach (var w in s.WorstSeconds)
            {
                // The 1 s sample taken at elapsed ≈ w+1 covers the second the checks were due in.
                var p = ProcSamples.Where(x => x.ElapsedSeconds > w.Second + 0.5 && x.ElapsedSeconds <= w.Second + 1.5).Cast<ProcSample?>().FirstOrDefault();
                var g = GaugeSamples.Where(x => x.ElapsedSeconds > w.Second + 0.5 && x.ElapsedSeconds <= w.Second + 1.5).Cast<GaugeSample?>().FirstOrDefault();
                Row($"  t+{w.Second}s (max lag {Ms(w.MaxLagMs)} ms)", p is { } ps
                    ? $"server CPU {ps.CpuPercent:F0}%, GC {ps.GcCpuMsPerSecond:F0} ms, run-queue wait {ps.RunQueueWaitMsPerSecond:F0} ms, CPU pressure {ps.CpuPressurePercent:F0}%" +
                      (g is { } gs ? $", in flight {gs.InFlight:F0}, writer queue {gs.WriterQueue:F0}, /metrics {gs.ScrapeMs:F0} ms" : "")
                    : "-");
            }
            foreach (var e in s.Examples.Take(5)) Row("  e.g.", e);
        }
        Row("target requests/s", $"{TargetRequestsPerSecond:F1} ({TargetRequests:N0} requests)");
        sb.Append("-- API while loaded (GET /api/v1/services/{id}/health, open loop)\n");
        Row("latency", Dist(ApiLatencyMs, "ms"));
        Row("errors", $"{ApiErrors:N0} of {ApiProbes:N0}");
        sb.Append("-- server process (/proc, 1 Hz; CPU % of one core)\n");
        Row("CPU", ServerCpuPercent.Count == 0 ? "-" : $"avg {ServerCpuPercent.Mean:F0}%  max {ServerCpuPercent.Max:F0}%");
        Row("RSS max / threads max", ServerRssMaxBytes == 0 ? "-" : $"{ServerRssMaxBytes / 1048576.0:F0} MiB / {ServerThreadsMax}");
        Row("machine busy (all cores)", MachineBusyPercent.Count == 0 ? "-" : $"avg {MachineBusyPercent.Mean:F0}%  max {MachineBusyPercent.Max:F0}%  (tick-sampled: under-counts short bursts)");
        Row("machine CPU pressure", CpuPressurePercent.Count == 0 ? "-" : $"avg {CpuPressurePercent.Mean:F0}%  max {CpuPressurePercent.Max:F0}% of time some task waited for a core");
        Row("GC threads CPU", GcCpuMsPerSecond.Count == 0 ? "-" : $"avg {GcCpuMsPerSecond.Mean:F1}  max {GcCpuMsPerSecond.Max:F1} ms per s");
        Row("run-queue wait (all threads)", RunQueueWaitMsPerSecond.Count == 0 ? "-" : $"avg {RunQueueWaitMsPerSecond.Mean:F0}  max {RunQueueWaitMsPerSecond.Max:F0} ms per s");
        Row("load generator CPU", LoadGenCpuPercent.Count == 0 ? "-" : $"avg {LoadGenCpuPercent.Mean:F0}%  max {LoadGenCpuPercent.Max:F0}%");
        sb.Append("-- server's own figures (/metrics)\n");
        Row("skipped (window / total)", $"{SkippedInWindow:N0} / {SkippedTotal:N0}");
        Row("start lag histogram p50/p99", $"{Secs(ServerLagP50UpperBoundSeconds)} / {Secs(ServerLagP99UpperBoundSeconds)}");
        Row("in flight max", $"{InFlightMax:F0}");
        Row("writer queue max", $"{WriterQueueMax:F0}");
        Row("writer", $"{WriterBatchesPerSecond:F1} batches/s, mean {WriterMeanBatchSize:F0} results, commit p99 {Secs(WriterCommitP99UpperBoundSeconds)}, busy {WriterCommitSecondsPerSecond * 100:F0}% of wall time");
        Row("incidents opened in window", $"{IncidentsOpenedInWindow:N0}");
        Row("/metrics scrape", Dist(MetricsScrapeMs, "ms"));
        Row("checks_total by outcome", string.Join("  ", ChecksTotalByOutcome.Select(kv => $"{kv.Key} {kv.Value:N0}")));
        Row("after window", $"drain {DrainSeconds:F1} s, history read {HistoryReadSeconds:F1} s");
        if (ServerLogTail is not null) sb.Append("-- server exited; last output:\n").Append(ServerLogTail).Append('\n');
        return sb.ToString();
    }
}
