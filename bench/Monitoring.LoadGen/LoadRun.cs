using System.Collections.Concurrent;
using System.Diagnostics;

namespace Monitoring.LoadGen;

/// <summary>One sample per second of what the server says about itself on /metrics.</summary>
public readonly record struct GaugeSample(double ElapsedSeconds, double InFlight, double WriterQueue, double CheckQueue, double ScrapeMs);

/// <summary>
/// One load run: target up, server up (or given), services registered, warm-up, measured window
/// with sampling and API probes, grace, history read-back, report. Every loop is bounded by time
/// or count and observes the cancellation token (Ctrl+C).
/// </summary>
public sealed class LoadRun(LoadGenOptions options, TextWriter log)
{
    private readonly ConcurrentBag<(double AtSeconds, double LatencyMs, bool Ok)> _probes = [];
    private readonly List<ProcSample> _procSamples = [];
    private readonly List<GaugeSample> _gaugeSamples = [];
    private readonly ConcurrentBag<long> _created = [];

    public async Task<LoadReport> RunAsync(CancellationToken ct)
    {
        var report = new LoadReport { Options = ReportOptions.From(options), StartedAt = DateTimeOffset.UtcNow, MachineCores = Environment.ProcessorCount };

        await using var target = await TargetServer.StartAsync(options.SlowFraction > 0 ? options.SlowMs : 0, options.TargetHosts, ct);
        log.WriteLine($"target     {string.Join(", ", target.Urls)}");

        ServerProcess? server = null;
        try
        {
            Uri baseUrl;
            int? pid;
            if (options.Url is { } url)
            {
                baseUrl = url;
                pid = options.Pid;
                report.ServerStartedByBench = false;
            }
            else
            {
                var dll = options.ServerDll;
                if (dll is null)
                {
                    var root = ServerProcess.FindRepoRoot();
                    if (!options.NoBuild)
                    {
                        log.WriteLine("building   src/Monitoring.Web (Release)…");
                        await ServerProcess.BuildAsync(root, ct);
                    }
                    dll = Path.Combine(root, "src", "Monitoring.Web", "bin", "Release", "net10.0", "Monitoring.Web.dll");
                }
                log.WriteLine($"starting   {dll}");
                server = await ServerProcess.StartAsync(dll, options.Concurrency, options.Services, ct);
                baseUrl = server.Url;
                pid = server.Pid;
                report.ServerStartedByBench = true;
                options.Headers.Add(new("X-Api-Key", ServerProcess.BootstrapApiKey));
                report.DataDirectory = server.DataDirectory;
                log.WriteLine($"server     {baseUrl} pid {pid} data {server.DataDirectory}");
            }
            report.ServerUrl = baseUrl.ToString();
            report.ServerPid = pid;

            using var api = new MonitoringApi(baseUrl, options.Parallel + 8, options.Headers);
            using var probeApi = new MonitoringApi(baseUrl, 64, options.Headers);

            try
            {
                var ids = await RegisterAsync(api, target.Urls, report, ct);
                await MeasureAsync(api, probeApi, target, ids, pid, report, ct);
            }
            finally
            {
                // A server we did not start keeps running: take our services off it, even after Ctrl+C.
                if (server is null && !options.KeepServices && !_created.IsEmpty)
                    await DeleteAsync(api, [.. _created]);
            }
        }
        finally
        {
            if (server is not null)
            {
                report.ServerLogTail = server.HasExited ? server.Tail() : null;
                server.Dispose();
                if (!options.KeepTemp) TryDelete(server.DataDirectory);
                else log.WriteLine($"kept       {server.DataDirectory}");
            }
        }
        return report;
    }

    private async Task<List<long>> RegisterAsync(MonitoringApi api, IReadOnlyList<Uri> targetUrls, LoadReport report, CancellationToken ct)
    {
        log.WriteLine($"registering {options.Services} http services (interval {options.IntervalSeconds} s, timeout {options.TimeoutMs} ms, {options.Parallel} parallel)…");
        var ids = new long[options.Services];
        var latencies = new double[options.Services];
        var started = Stopwatch.GetTimestamp();
        var runTag = Guid.NewGuid().ToString("N")[..8];
        // Slow services are spread over the id range (every k-th), so their phases spread too.
        var slowEvery = options.SlowFraction > 0 ? 1.0 / options.SlowFraction : double.PositiveInfinity;

        await Parallel.ForEachAsync(Enumerable.Range(0, options.Services), new ParallelOptions { MaxDegreeOfParallelism = options.Parallel, CancellationToken = ct },
            async (i, token) =>
            {
                var slow = Math.Floor(i / slowEvery) != Math.Floor((i + 1) / slowEvery);
                var host = targetUrls[i % targetUrls.Count];
                var (id, latency) = await api.CreateHttpServiceAsync($"loadgen-{runTag}-{i:D6}", slow ? new Uri(host, "slow") : host, options.IntervalSeconds, options.TimeoutMs, token);
                ids[i] = id;
                _created.Add(id);
                latencies[i] = latency;
            });
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        report.RegistrationSeconds = seconds;
        report.RegistrationLatencyMs = Distribution.Of(latencies);
        log.WriteLine($"registered in {seconds:F1} s ({options.Services / seconds:F0}/s, POST p99 {report.RegistrationLatencyMs.P99:F1} ms)");
        return [.. ids];
    }

    private async Task MeasureAsync(MonitoringApi api, MonitoringApi probeApi, TargetServer target, List<long> ids, int? pid, LoadReport report, CancellationToken ct)
    {
        log.WriteLine($"warm-up    {options.Warmup} s");
        await Task.Delay(TimeSpan.FromSeconds(options.Warmup), ct);

        // The window is on the Unix-ms axis the server schedules on (same machine, same clock).
        var before = PromText.Parse(await api.MetricsTextAsync(ct));
        var targetBefore = target.Requests;
        var windowStart = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        log.WriteLine($"measuring  {options.DurationSeconds} s from {DateTimeOffset.FromUnixTimeMilliseconds(windowStart):HH:mm:ss.fff}");

        using var windowCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        windowCts.CancelAfter(TimeSpan.FromSeconds(options.DurationSeconds));
        var sampling = SampleAsync(api, pid, clock, windowCts.Token);
        var probing = ProbeAsync(probeApi, ids, clock, windowCts.Token);
        await Task.WhenAll(sampling, probing);
        ct.ThrowIfCancellationRequested();

        var windowEnd = windowStart + options.DurationSeconds * 1000L;
        var targetAfter = target.Requests;
        var measuredSeconds = clock.Elapsed.TotalSeconds;
        report.WindowStart = DateTimeOffset.FromUnixTimeMilliseconds(windowStart);
        report.WindowEnd = DateTimeOffset.FromUnixTimeMilliseconds(windowEnd);
        var afterWindow = PromText.Parse(await api.MetricsTextAsync(ct));

        // Slots due near the end may still be running (up to the timeout) or waiting in the writer
        // queue. After the grace every such check has completed; then wait until the writer has
        // committed as many results as checks had completed. (Waiting for an empty queue would not
        // do: checks keep arriving, so the queue is rarely empty at the instant of a scrape.)
        log.WriteLine($"grace      {options.Grace} s, then wait until the writer has caught up");
        await Task.Delay(TimeSpan.FromSeconds(options.Grace), ct);
        var completed = PromText.Parse(await api.MetricsTextAsync(ct)).Sum("monitoring_checks_total");
        var drainStarted = Stopwatch.GetTimestamp();
        PromText after;
        while (true)
        {
            after = PromText.Parse(await api.MetricsTextAsync(ct));
            if (after.Sum("monitoring_writer_results_total") >= completed || Stopwatch.GetElapsedTime(drainStarted) > TimeSpan.FromSeconds(120)) break;
            await Task.Delay(200, ct);
        }
        report.DrainSeconds = Stopwatch.GetElapsedTime(drainStarted).TotalSeconds;

        log.WriteLine($"reading    history of {ids.Count} services ({options.Parallel} parallel)…");
        var histories = new ConcurrentDictionary<long, List<HistoryEntry>>();
        var from = DateTimeOffset.FromUnixTimeMilliseconds(windowStart - 60_000 - options.IntervalSeconds * 1000L);
        var readStarted = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = options.Parallel, CancellationToken = ct },
            async (id, token) => histories[id] = await api.HistoryAsync(id, from, token));
        report.HistoryReadSeconds = Stopwatch.GetElapsedTime(readStarted).TotalSeconds;

        var slots = SlotAnalysis.Analyse(histories, options.IntervalSeconds * 1000L, windowStart, windowEnd);
        report.Slots = slots;
        report.ChecksPerSecond = slots.ResultsInWindow / (double)options.DurationSeconds;
        report.ExpectedChecksPerSecond = options.Services / (double)options.IntervalSeconds;
        report.TargetRequests = targetAfter - targetBefore;
        report.TargetRequestsPerSecond = (targetAfter - targetBefore) / measuredSeconds;

        var probes = _probes.Where(p => p.AtSeconds <= options.DurationSeconds).ToList();
        report.ApiProbes = probes.Count;
        report.ApiErrors = probes.Count(p => !p.Ok);
        report.ApiLatencyMs = Distribution.Of(probes.Select(p => p.LatencyMs));

        lock (_procSamples)
        {
            report.ProcSamples = [.. _procSamples];
            if (_procSamples.Count > 0)
            {
                report.ServerCpuPercent = Distribution.Of(_procSamples.Select(s => s.CpuPercent));
                report.ServerRssMaxBytes = _procSamples.Max(s => s.RssBytes);
                report.ServerThreadsMax = _procSamples.Max(s => s.Threads);
                report.MachineBusyPercent = Distribution.Of(_procSamples.Select(s => s.MachineBusyPercent));
                report.LoadGenCpuPercent = Distribution.Of(_procSamples.Select(s => s.SelfCpuPercent));
                report.GcCpuMsPerSecond = Distribution.Of(_procSamples.Select(s => s.GcCpuMsPerSecond));
                report.CpuPressurePercent = Distribution.Of(_procSamples.Where(s => s.CpuPressurePercent >= 0).Select(s => s.CpuPressurePercent));
                report.RunQueueWaitMsPerSecond = Distribution.Of(_procSamples.Select(s => s.RunQueueWaitMsPerSecond));
            }
        }
        lock (_gaugeSamples)
        {
            report.GaugeSamples = [.. _gaugeSamples];
            if (_gaugeSamples.Count > 0)
            {
                report.InFlightMax = _gaugeSamples.Max(g => g.InFlight);
                report.WriterQueueMax = _gaugeSamples.Max(g => g.WriterQueue);
                report.MetricsScrapeMs = Distribution.Of(_gaugeSamples.Select(g => g.ScrapeMs));
            }
        }

        report.SkippedInWindow = (long)(afterWindow.Sum("monitoring_checks_skipped_total") - before.Sum("monitoring_checks_skipped_total"));
        report.SkippedTotal = (long)after.Sum("monitoring_checks_skipped_total");
        report.ChecksTotalByOutcome = after.Series("monitoring_checks_total").ToDictionary(s => s.Labels, s => (long)s.Value);
        var lagBefore = before.Buckets("monitoring_check_start_lag_seconds");
        var lagAfter = afterWindow.Buckets("monitoring_check_start_lag_seconds");
        report.ServerLagP50UpperBoundSeconds = PromText.QuantileUpperBound(lagBefore, lagAfter, 0.50);
        report.ServerLagP99UpperBoundSeconds = PromText.QuantileUpperBound(lagBefore, lagAfter, 0.99);
        var commitBefore = before.Buckets("monitoring_writer_commit_seconds");
        var commitAfter = afterWindow.Buckets("monitoring_writer_commit_seconds");
        report.WriterCommitP99UpperBoundSeconds = PromText.QuantileUpperBound(commitBefore, commitAfter, 0.99);
        var batches = afterWindow.Sum("monitoring_writer_batches_total") - before.Sum("monitoring_writer_batches_total");
        var written = afterWindow.Sum("monitoring_writer_results_total") - before.Sum("monitoring_writer_results_total");
        report.WriterBatchesPerSecond = batches / measuredSeconds;
        report.WriterMeanBatchSize = batches > 0 ? written / batches : 0;
        report.WriterCommitSecondsPerSecond = (afterWindow.Sum("monitoring_writer_commit_seconds_sum") - before.Sum("monitoring_writer_commit_seconds_sum")) / measuredSeconds;
        report.IncidentsOpenedInWindow = (long)(afterWindow.Sum("monitoring_incidents_opened_total") - before.Sum("monitoring_incidents_opened_total"));
    }

    /// <summary>Once a second: CPU/RSS of the server from /proc, and its own gauges from /metrics.</summary>
    private async Task SampleAsync(MonitoringApi api, int? pid, Stopwatch clock, CancellationToken ct)
    {
        var sampler = pid is { } p && ProcSampler.Supported ? new ProcSampler(p) : null;
        sampler?.Sample(0); // baseline for the first rate
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var at = clock.Elapsed.TotalSeconds;
                if (sampler?.Sample(at) is { } s) lock (_procSamples) _procSamples.Add(s);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var m = PromText.Parse(await api.MetricsTextAsync(ct));
                    var scrape = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    lock (_gaugeSamples)
                        _gaugeSamples.Add(new GaugeSample(at, m.Get("monitoring_checks_in_flight") ?? double.NaN,
                            m.Get("monitoring_writer_queue_depth") ?? double.NaN, m.Get("monitoring_check_queue_depth") ?? double.NaN, scrape));
                }
                catch (HttpRequestException ex)
                {
                    log.WriteLine($"  /metrics failed at {at:F0} s: {ex.Message}");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Open-loop probes of the health endpoint at a fixed rate: a slow answer does not slow the
    /// next probe down (closed-loop probing would hide exactly the stalls we look for).
    /// </summary>
    private async Task ProbeAsync(MonitoringApi api, List<long> ids, Stopwatch clock, CancellationToken ct)
    {
        if (options.ApiRps <= 0) return;
        const int maxOutstanding = 64;
        var outstanding = new List<Task>();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / options.ApiRps));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                outstanding.RemoveAll(t => t.IsCompleted);
                if (outstanding.Count >= maxOutstanding)
                {
                    _probes.Add((clock.Elapsed.TotalSeconds, double.NaN, false)); // counted as an error: the server is not keeping up
                    continue;
                }
                var id = ids[Random.Shared.Next(ids.Count)];
                var at = clock.Elapsed.TotalSeconds;
                outstanding.Add(Task.Run(async () =>
                {
                    var (latency, ok) = await api.ProbeHealthAsync(id, CancellationToken.None);
                    _probes.Add((at, latency, ok));
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        // Probes started inside the window finish (each is bounded by the client timeout).
        await Task.WhenAll(outstanding);
    }

    private async Task DeleteAsync(MonitoringApi api, List<long> ids)
    {
        log.WriteLine($"deleting   {ids.Count} services from the external server…");
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = options.Parallel, CancellationToken = limit.Token },
                async (id, token) => await api.DeleteServiceAsync(id, token));
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException)
        {
            log.WriteLine($"  cleanup incomplete: {ex.Message}");
        }
    }

    private void TryDelete(string directory)
    {
        // SQLite may still hold the file for a moment after the kill; retry briefly.
        for (var attempt = 0; attempt < 10; attempt++)
        {
            try
            {
                if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
                return;
            }
            catch (IOException) { Thread.Sleep(200); }
            catch (UnauthorizedAccessException) { Thread.Sleep(200); }
        }
        log.WriteLine($"could not delete {directory}");
    }
}
