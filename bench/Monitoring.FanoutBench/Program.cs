using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Monitoring.Core.Realtime;
using Monitoring.LoadGen;

// Fan-out bench: N hub connections (WebSockets, API key), one service toggled every interval
// (PUT enabled=false/true, so its status flips paused ↔ unknown and a delta goes to the overview
// group), delivery latency = client receive time − the delta's SentAt. Server CPU and RSS from /proc.
var opts = Args.Parse(args);
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
var ct = cts.Token;

ServerProcess? server = null;
Uri url;
string key;
if (opts.Url is { } given)
{
    url = new Uri(given);
    key = opts.Key ?? throw new ArgumentException("--key is required with --url");
}
else
{
    var root = ServerProcess.FindRepoRoot();
    var dll = opts.ServerDll is { } given2 ? Path.GetFullPath(given2) : Path.Combine(root, "src", "Monitoring.Web", "bin", "Release", "net10.0", "Monitoring.Web.dll");
    if (opts.ServerDll is null && !opts.NoBuild)
    {
        Console.WriteLine("building the server (Release)…");
        await ServerProcess.BuildAsync(root, ct);
    }
    server = await ServerProcess.StartAsync(dll, null, 0, ct);
    url = server.Url;
    key = ServerProcess.BootstrapApiKey;
    Console.WriteLine($"server pid {server.Pid} at {url} (data {server.DataDirectory})");
}

try
{
    using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
    http.DefaultRequestHeaders.Add("X-Api-Key", key);
    var created = await http.PostAsJsonAsync("api/v1/services", new { name = $"fanout-{Guid.NewGuid():N}", type = "tcp", target = "127.0.0.1:9", intervalSeconds = 3600, timeoutMs = 200 }, ct);
    created.EnsureSuccessStatusCode();
    var serviceId = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetInt64();

    var clients = new Client[opts.Connections];
    var sw = Stopwatch.StartNew();
    using (var gate = new SemaphoreSlim(opts.ConnectParallelism))
    {
        await Task.WhenAll(Enumerable.Range(0, opts.Connections).Select(async i =>
        {
            await gate.WaitAsync(ct);
            try { clients[i] = await Client.ConnectAsync(url, key, ct); }
            finally { gate.Release(); }
        }));
    }
    Console.WriteLine($"{opts.Connections} connections open in {sw.Elapsed.TotalSeconds:F1} s");

    var sampler = server is not null && ProcSampler.Supported ? new ProcSampler(server.Pid) : null;
    sampler?.Sample(0);
    var samples = new List<ProcSample>();
    var enabled = true;
    using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(opts.IntervalMs));
    if (opts.WarmupSeconds > 0)
    {
        // Unmeasured: the first deltas pay for JIT and connection buffers on both sides.
        var warm = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(warm).TotalSeconds < opts.WarmupSeconds && await timer.WaitForNextTickAsync(ct))
        {
            enabled = !enabled;
            using var put = await http.PutAsJsonAsync($"api/v1/services/{serviceId}", new { enabled }, ct);
            put.EnsureSuccessStatusCode();
        }
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        Console.WriteLine($"warm-up of {opts.WarmupSeconds} s done (not measured)");
    }
    foreach (var c in clients) c.StartMeasuring();

    var start = Stopwatch.GetTimestamp();
    var toggles = 0;
    var nextSample = 1.0;
    while (Stopwatch.GetElapsedTime(start).TotalSeconds < opts.DurationSeconds && await timer.WaitForNextTickAsync(ct))
    {
        enabled = !enabled;
        using var put = await http.PutAsJsonAsync($"api/v1/services/{serviceId}", new { enabled }, ct);
        put.EnsureSuccessStatusCode();
        toggles++;
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (sampler is not null && elapsed >= nextSample && sampler.Sample(elapsed) is { } s) { samples.Add(s); nextSample = elapsed + 1; }
    }
    // Let the last deltas arrive.
    await Task.Delay(TimeSpan.FromSeconds(2), ct);
    foreach (var c in clients) c.StopMeasuring();

    var latencies = clients.SelectMany(c => c.Latencies).Order().ToArray();
    var received = clients.Sum(c => (long)c.Received);
    var lost = clients.Sum(c => c.Lost);
    var firstSeq = clients.Where(c => c.FirstSequence > 0).Select(c => c.FirstSequence).DefaultIfEmpty(0).Min();
    Console.WriteLine();
    Console.WriteLine($"connections        {opts.Connections}");
    Console.WriteLine($"duration           {opts.DurationSeconds} s, one change every {opts.IntervalMs} ms ({toggles} changes)");
    Console.WriteLine($"messages received  {received:N0} ({received / (double)opts.Connections:F1} per connection)");
    Console.WriteLine($"messages lost      {lost:N0} (sequence gaps)");
    Console.WriteLine($"connections closed {clients.Count(c => c.Closed)}");
    if (latencies.Length > 0)
        Console.WriteLine($"latency ms         p50 {P(latencies, 0.50):F1}  p90 {P(latencies, 0.90):F1}  p99 {P(latencies, 0.99):F1}  max {latencies[^1]:F1}");
    if (samples.Count > 0)
    {
        Console.WriteLine($"server CPU %       avg {samples.Average(s => s.CpuPercent):F0}  max {samples.Max(s => s.CpuPercent):F0} (of one core; machine busy avg {samples.Average(s => s.MachineBusyPercent):F0} %)");
        Console.WriteLine($"server RSS MB      avg {samples.Average(s => s.RssBytes) / 1048576.0:F0}  max {samples.Max(s => s.RssBytes) / 1048576.0:F0}");
        Console.WriteLine($"bench CPU %        avg {samples.Average(s => s.SelfCpuPercent):F0} (the N clients share the machine with the server)");
    }
    await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
}
finally
{
    server?.Dispose();
}

static double P(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

/// <summary>One measured hub connection.</summary>
sealed class Client : IAsyncDisposable
{
    private readonly HubConnection _hub;
    private readonly List<double> _latencies = [];
    private readonly Lock _lock = new();
    private volatile bool _measuring;
    private long _last;

    private Client(HubConnection hub)
    {
        _hub = hub;
        // The overview group's message, which every dashboard tab gets (a flip of enabled changes the tile).
        _hub.On<GridDelta>(MonitoringHubContract.GridChanged, OnDelta);
        _hub.Closed += _ => { Closed = true; return Task.CompletedTask; };
    }

    public int Received { get; private set; }
    public long Lost { get; private set; }
    public long FirstSequence { get; private set; }
    public bool Closed { get; private set; }
    public IReadOnlyList<double> Latencies { get { lock (_lock) return [.. _latencies]; } }

    public static async Task<Client> ConnectAsync(Uri url, string key, CancellationToken ct)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(url, MonitoringHubContract.Path), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.Headers["X-Api-Key"] = key;
            })
            .Build();
        var client = new Client(hub);
        await hub.StartAsync(ct);
        return client;
    }

    public void StartMeasuring() => _measuring = true;
    public void StopMeasuring() => _measuring = false;

    private void OnDelta(GridDelta delta)
    {
        var now = DateTimeOffset.UtcNow;
        lock (_lock)
        {
            if (!_measuring) { _last = delta.Sequence; return; }
            Received++;
            if (FirstSequence == 0) FirstSequence = delta.Sequence;
            if (_last != 0 && delta.Sequence > _last + 1) Lost += delta.Sequence - _last - 1;
            _last = delta.Sequence;
            if (delta.SentAt is { } sent) _latencies.Add((now - sent).TotalMilliseconds);
        }
    }

    public ValueTask DisposeAsync() => _hub.DisposeAsync();
}

sealed record Args(int Connections, int DurationSeconds, int IntervalMs, int ConnectParallelism, string? Url, string? Key, string? ServerDll, bool NoBuild, int WarmupSeconds)
{
    public static Args Parse(string[] args)
    {
        var a = new Args(1000, 30, 500, 50, null, null, null, false, 5);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            a = args[i] switch
            {
                "--connections" or "-n" => a with { Connections = Int() },
                "--duration" => a with { DurationSeconds = Int() },
                "--interval-ms" => a with { IntervalMs = Int() },
                "--connect-parallelism" => a with { ConnectParallelism = Int() },
                "--url" => a with { Url = Next() },
                "--key" => a with { Key = Next() },
                "--server-dll" => a with { ServerDll = Next() },
                "--no-build" => a with { NoBuild = true },
                "--warmup" => a with { WarmupSeconds = Int() },
                _ => throw new ArgumentException($"unknown argument {args[i]}; see bench/README.md"),
            };
        }
        return a;
    }
}
