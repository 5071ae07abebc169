using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Data.Sqlite;

// Ingest load tool: starts the server (Release build of src/Monitoring.Web) as a child process on
// a free port over a temp data folder, posts batches of samples over several connections for
// --duration seconds, and reports sustained samples/s, ack latency, 429s, bytes per stored
// sample and the server's memory and CPU.
//
//   dotnet run -c Release --project bench/Monitoring.IngestBench -- --duration 60 --connections 8

Args opts;
try
{
    opts = Args.Parse(args);
}
catch (HelpRequested help)
{
    Console.WriteLine(help.Message);
    return 0;
}
var repo = FindRepoRoot();
var key = "bench_" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(17)).ToLowerInvariant(); // 40 characters
var dataDir = Directory.CreateTempSubdirectory("monitoring-bench-").FullName;
var port = FreePort();

if (!opts.NoBuild)
{
    Console.WriteLine("Building src/Monitoring.Web (Release)…");
    Run("dotnet", $"build \"{Path.Combine(repo, "src", "Monitoring.Web")}\" -c Release -nologo -v q", repo);
}
var serverDir = Path.Combine(repo, "src", "Monitoring.Web", "bin", "Release", "net10.0");
var start = new ProcessStartInfo("dotnet", $"\"{Path.Combine(serverDir, "Monitoring.Web.dll")}\"")
{
    WorkingDirectory = Path.Combine(repo, "src", "Monitoring.Web"),
    RedirectStandardOutput = true,
    RedirectStandardError = true,
};
start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
start.Environment["Monitoring__DataDirectory"] = dataDir;
start.Environment["Monitoring__Bootstrap__ApiKey"] = key;
start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
if (opts.IngestRequestsPerSecond > 0)
{
    // The default abuse limits allow one key 20 ingest requests/s (20,000 samples/s in batches of
    // 1,000) and one address 200 API requests/s: that would measure the limiter, not the pipeline.
    // A high-volume integration gets a bigger budget the same way (configuration), so the limiter
    // stays on and its cost is measured; only its budget is raised.
    var n = opts.IngestRequestsPerSecond.ToString(CultureInfo.InvariantCulture);
    foreach (var policy in new[] { "Ingest", "ApiPerIp" })
    {
        start.Environment[$"Monitoring__Abuse__{policy}__PermitLimit"] = n;
        start.Environment[$"Monitoring__Abuse__{policy}__TokensPerPeriod"] = n;
        start.Environment[$"Monitoring__Abuse__{policy}__PeriodSeconds"] = "1";
    }
}
using var server = Process.Start(start)!;
server.OutputDataReceived += (_, e) => { if (opts.Verbose && e.Data is not null) Console.WriteLine("  server: " + e.Data); };
server.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.WriteLine("  server! " + e.Data); };
server.BeginOutputReadLine();
server.BeginErrorReadLine();

try
{
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = opts.Connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        Timeout = TimeSpan.FromSeconds(60),
    };
    http.DefaultRequestHeaders.Add("X-Api-Key", key);
    await WaitForHealthAsync(http, server);
    Console.WriteLine($"Server pid {server.Id} on port {port}, data in {dataDir}");
    Console.WriteLine($"Posting batches of {opts.Batch} samples over {opts.Connections} connections for {opts.Duration} s ({opts.Series} series)…");

    var baseMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 3_600_000;
    long sequence = 0, acked = 0, throttled = 0, failed = 0;
    var latencies = new List<double>[opts.Connections];
    // A warm-up (not counted) first: JIT tiering, page cache, series creation.
    var measureFrom = Stopwatch.GetTimestamp() + (long)(opts.Warmup * Stopwatch.Frequency);
    var stopAt = measureFrom + (long)(opts.Duration * Stopwatch.Frequency);
    if (opts.Warmup > 0) Console.WriteLine($"Warming up for {opts.Warmup} s…");
    long pressureStart = 0, wallStart = 0, ackedAtStart = 0;
    double cpuStart = 0;
    var startCounters = Task.Run(async () =>
    {
        var wait = (measureFrom - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency;
        if (wait > 0) await Task.Delay(TimeSpan.FromSeconds(wait));
        pressureStart = CpuPressureTotal();
        cpuStart = ProcessCpu(server.Id);
        ackedAtStart = Interlocked.Read(ref acked);
        wallStart = Stopwatch.GetTimestamp();
    });
    long peakRss = 0;
    using var sampler = new CancellationTokenSource();
    var rssTask = Task.Run(async () =>
    {
        while (!sampler.IsCancellationRequested)
        {
            peakRss = Math.Max(peakRss, Rss(server.Id));
            try { await Task.Delay(500, sampler.Token); } catch (OperationCanceledException) { }
        }
    });

    var workers = Enumerable.Range(0, opts.Connections).Select(w => Task.Run(async () =>
    {
        var mine = latencies[w] = new List<double>(100_000);
        var buffer = new ArrayBufferWriter<byte>(128 * 1024);
        // With --rate, each connection sends a batch every connections × batch / rate seconds (staggered).
        var interval = opts.Rate > 0 ? TimeSpan.FromSeconds(opts.Connections * opts.Batch / opts.Rate) : TimeSpan.Zero;
        var due = Stopwatch.GetTimestamp() + (long)(interval.TotalSeconds * Stopwatch.Frequency * w / opts.Connections);
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            if (opts.Rate > 0)
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
                due += (long)(interval.TotalSeconds * Stopwatch.Frequency);
            }
            var first = Interlocked.Add(ref sequence, opts.Batch) - opts.Batch;
            buffer.ResetWrittenCount();
            WriteBatch(buffer, first, opts.Batch, opts.Series, baseMs);
            var content = new ReadOnlyMemoryContent(buffer.WrittenMemory);
            content.Headers.ContentType = new("application/json");
            var t0 = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.PostAsync("/api/v1/metrics", content);
                var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    if (t0 >= measureFrom) mine.Add(ms);
                    Interlocked.Add(ref acked, opts.Batch);
                }
                else if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref throttled);
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(1, response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 1)));
                }
                else
                {
                    if (Interlocked.Increment(ref failed) <= 3) Console.WriteLine($"  {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                if (Interlocked.Increment(ref failed) <= 3) Console.WriteLine($"  error: {ex.Message}");
            }
        }
    })).ToArray();
    await Task.WhenAll(workers);
    await startCounters;
    var wall = Stopwatch.GetElapsedTime(wallStart).TotalSeconds;
    var ackedTotal = acked;
    acked -= ackedAtStart; // samples acknowledged in the measured window
    var cpu = ProcessCpu(server.Id) - cpuStart;
    var pressure = (CpuPressureTotal() - pressureStart) / 1e6 / wall;
    sampler.Cancel();
    await rssTask;

    var all = latencies.SelectMany(l => l).Order().ToList();
    double P(double q) => all.Count == 0 ? double.NaN : all[(int)Math.Floor(q * (all.Count - 1))];
    var dbPath = Path.Combine(dataDir, "monitoring.db");
    var dbBytes = new FileInfo(dbPath).Length;
    var walBytes = File.Exists(dbPath + "-wal") ? new FileInfo(dbPath + "-wal").Length : 0;
    long stored;
    await using (var connection = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly;Pooling=False"))
    {
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        // Raw samples live in chunks and, until compacted, in ingest log rows (SampleStore.StoredCountSql).
        cmd.CommandText = "SELECT (SELECT COALESCE(SUM(Count), 0) FROM metric_chunks) + (SELECT COALESCE(SUM(Count), 0) FROM metric_ingest_log)";
        stored = (long)(await cmd.ExecuteScalarAsync())!;
    }

    Console.WriteLine();
    Console.WriteLine($"machine                 {Environment.ProcessorCount} cores (shared), {RuntimeInfo()}");
    Console.WriteLine($"duration                {wall:F1} s measured after {opts.Warmup:F0} s warm-up, {opts.Connections} connections, batches of {opts.Batch}, {opts.Series} series{(opts.Rate > 0 ? $", offered {opts.Rate:N0} samples/s" : "")}");
    Console.WriteLine($"samples acknowledged    {acked:N0}  ({acked / wall:N0} samples/s sustained)");
    Console.WriteLine($"ack latency             p50 {P(0.50):F1} ms, p99 {P(0.99):F1} ms, max {P(1):F1} ms ({all.Count:N0} requests)");
    Console.WriteLine($"429 answers             {throttled:N0}; other failures {failed:N0}");
    Console.WriteLine($"samples stored          {stored:N0} (acknowledged {ackedTotal:N0} including warm-up{(stored >= ackedTotal ? ", all present" : ", MISSING SOME")}; the rest are host metrics)");
    Console.WriteLine($"disk                    db {dbBytes / 1048576.0:F1} MiB + wal {walBytes / 1048576.0:F1} MiB = {(double)(dbBytes + walBytes) / Math.Max(1, stored):F1} bytes/sample ({(double)dbBytes / Math.Max(1, stored):F1} in the db file alone)");
    Console.WriteLine($"ingest budget           {(opts.IngestRequestsPerSecond > 0 ? $"{opts.IngestRequestsPerSecond:N0} requests/s per key and per address" : "server defaults (20 requests/s per key)")}");
    Console.WriteLine($"machine CPU pressure    {pressure * 100:F0}% of the run some task waited for a core (/proc/pressure/cpu 'some'; the bench client runs on the same cores)");
    Console.WriteLine($"bench client            CPU {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds / wall * 100:F0}% of one core on average (whole run)");
    Console.WriteLine($"server                  peak RSS {peakRss / 1048576.0:F0} MiB, CPU {cpu / wall * 100:F0}% of one core on average ({cpu:F1} s CPU, {cpu * 1e6 / Math.Max(1, acked):F1} µs CPU per sample)");
}
finally
{
    if (!server.HasExited) server.Kill(entireProcessTree: true);
    await server.WaitForExitAsync();
    if (!opts.Keep) try { Directory.Delete(dataDir, true); } catch (IOException) { }
}
return 0;

static void WriteBatch(ArrayBufferWriter<byte> buffer, long first, int count, int series, long baseMs)
{
    using var w = new Utf8JsonWriter(buffer);
    w.WriteStartArray();
    for (var k = first; k < first + count; k++)
    {
        var s = (int)(k % series);
        // Each series advances 1 ms per round, so (series, timestamp) never repeats.
        var ts = DateTimeOffset.FromUnixTimeMilliseconds(baseMs + k / series);
        w.WriteStartObject();
        w.WriteString("name", s % 2 == 0 ? "bench_requests_total" : "bench_latency_ms");
        w.WriteString("type", s % 2 == 0 ? "counter" : "histogram");
        w.WriteNumber("value", s % 2 == 0 ? k / series : (k * 7919 % 1000) / 10.0);
        w.WriteStartObject("labels");
        w.WriteString("instance", "i" + (s / 2).ToString(CultureInfo.InvariantCulture));
        w.WriteString("env", "bench");
        w.WriteEndObject();
        w.WriteString("service", "bench");
        w.WriteString("timestamp", ts);
        w.WriteEndObject();
    }
    w.WriteEndArray();
}

static async Task WaitForHealthAsync(HttpClient http, Process server)
{
    var deadline = Stopwatch.GetTimestamp() + 60 * Stopwatch.Frequency;
    while (Stopwatch.GetTimestamp() < deadline)
    {
        if (server.HasExited) throw new InvalidOperationException($"The server exited with {server.ExitCode}.");
        try
        {
            if ((await http.GetAsync("/health")).IsSuccessStatusCode) return;
        }
        catch (HttpRequestException) { }
        await Task.Delay(200);
    }
    throw new TimeoutException("The server did not answer /health within 60 s.");
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static long Rss(int pid)
{
    try
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
    catch (IOException) { return 0; }
}

static double ProcessCpu(int pid)
{
    try
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime are fields 14 and 15 (1-based), i.e. 11 and 12 after the command.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
    catch (IOException) { return 0; }
}

static long CpuPressureTotal()
{
    try
    {
        var some = File.ReadLines("/proc/pressure/cpu").First();
        return long.Parse(some[(some.LastIndexOf("total=", StringComparison.Ordinal) + 6)..], CultureInfo.InvariantCulture);
    }
    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException) { return 0; }
}

static string RuntimeInfo() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

static void Run(string file, string arguments, string workingDirectory)
{
    using var p = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = workingDirectory })!;
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} failed with {p.ExitCode}.");
}

static string FindRepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Monitoring.sln"))) dir = dir.Parent;
    return dir?.FullName ?? throw new InvalidOperationException("Run from inside the repository.");
}

internal sealed record Args(double Duration, int Connections, int Batch, int Series, bool NoBuild, bool Keep, bool Verbose, int IngestRequestsPerSecond, double Warmup, double Rate = 0)
{
    private const string Usage = """
        Monitoring.IngestBench: ingest load against a fresh server (child process, temp data folder).
          --duration S        seconds of load measured (60)
          --warmup S          seconds of load before that, not counted (10)
          --connections N     concurrent connections, one request in flight each (8)
          --batch N           samples per request (1000)
          --series N          distinct series, two labels each (1000)
          --ingest-limit N    the server's ingest and per-address budget, requests/s (10000); 0 keeps the
                              server defaults (20 ingest requests/s per key: the limiter, not the pipeline)
          --rate N            offer N samples/s in total, paced per connection (0: as fast as
                              acknowledgements come back, the default); latency is from each send
          --no-build          use the existing Release build of src/Monitoring.Web
          --keep              keep the temp data folder
          --verbose           echo the server's console
        """;

    public static Args Parse(string[] args)
    {
        var a = new Args(60, 8, 1000, 1000, false, false, false, 10_000, 10);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => args[++i];
            a = args[i] switch
            {
                "--duration" => a with { Duration = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--connections" => a with { Connections = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--batch" => a with { Batch = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--series" => a with { Series = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--no-build" => a with { NoBuild = true },
                "--keep" => a with { Keep = true },
                "--verbose" => a with { Verbose = true },
                "--warmup" => a with { Warmup = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--rate" => a with { Rate = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--ingest-limit" => a with { IngestRequestsPerSecond = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--help" or "-h" => throw new HelpRequested(Usage),
                _ => throw new ArgumentException($"Unknown argument {args[i]}.\n{Usage}"),
            };
        }
        return a;
    }
}

internal sealed class HelpRequested(string usage) : Exception(usage);
