using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Monitoring.LoadGen;
using Monitoring.PaintBench;

// Paint bench: N http services (checked every interval against the load generator's in-process
// target), then the overview at / in headless Chromium, signed in through /login. Per navigation
// (cold: first load, WASM runtime downloaded; warm: the same page loaded again, HTTP cache filled)
// it records paint entries, when the status grid has drawn all N tiles with their statuses and the
// counts are on the page (the grid's data-painted), long tasks while loading, and long tasks and hub
// messages during a steady-state window while updates flow (a --flap-fraction of the services
// changes status on every check, so the overview has something to show).
var opts = Args.Parse(args);
if (opts.Help)
{
    Console.WriteLine("""
        Monitoring.PaintBench: first paint and long tasks of the overview with N services (see bench/README.md).
          --services N        services to register (10000)
          --interval S        check interval of the registered services, seconds (10)
          --window S          steady-state window per navigation, seconds (30)
          --settle S          wait after the app took the grid over before the window, seconds (3)
          --parallel N        registrations in flight (32)
          --flap-fraction F   share of services whose status flips on every check (0.1)
          --no-build          do not publish the server first (reuse obj/server-publish)
          --server-dll PATH   run this Monitoring.Web.dll (a publish folder) instead of publishing
          --url URL --key K   use a running server (admin API key); the services are deleted at the end
          --json PATH         write the figures as JSON
          --headed            show the browser (needs a display)
        """);
    return 0;
}
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
var ct = cts.Token;
var pressureAtStart = CpuPressure.Read();

await using var target = await TargetServer.StartAsync(0, 1, ct);
await using var flapTarget = await FlapTarget.StartAsync(ct);
var flapEvery = opts.FlapFraction > 0 ? Math.Max(1, (int)Math.Round(1 / opts.FlapFraction)) : 0;
ServerProcess? server = null;
Uri url;
string key;
if (opts.Url is { } given)
{
    url = new Uri(given.EndsWith('/') ? given : given + "/");
    key = opts.Key ?? throw new ArgumentException("--key is required with --url");
}
else
{
    var root = ServerProcess.FindRepoRoot();
    // Published, not just built: a Production server serves the client's static assets (the WASM
    // runtime, _content/…) from a publish folder only, and that is what a browser gets in real use.
    var publishDir = Path.Combine(root, "bench", "Monitoring.PaintBench", "obj", "server-publish");
    var dll = opts.ServerDll is { } given2 ? Path.GetFullPath(given2) : Path.Combine(publishDir, "Monitoring.Web.dll");
    if (opts.ServerDll is null && !opts.NoBuild)
    {
        Console.WriteLine($"publishing the server (Release) to {publishDir}…");
        await Publish.RunAsync(root, publishDir, ct);
    }
    server = await ServerProcess.StartAsync(dll, null, opts.Services, ct);
    url = server.Url;
    key = ServerProcess.BootstrapApiKey;
    Console.WriteLine($"server pid {server.Pid} at {url} (data {server.DataDirectory})");
}

var ids = new List<long>();
using var api = new MonitoringApi(url, opts.Parallel, [new("X-Api-Key", key)]);
using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
http.DefaultRequestHeaders.Add("X-Api-Key", key);
var report = new JsonObject
{
    ["services"] = opts.Services,
    ["intervalSeconds"] = opts.IntervalSeconds,
    ["windowSeconds"] = opts.WindowSeconds,
    ["flapFraction"] = opts.FlapFraction,
    ["startedAt"] = DateTimeOffset.UtcNow.ToString("O"),
    ["processors"] = Environment.ProcessorCount,
};
try
{
    // A user to sign in with: the API key cannot sign a browser in, a cookie can.
    var userName = "paintbench-" + Guid.NewGuid().ToString("N")[..8];
    var password = "pb-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
    using (var user = await http.PostAsJsonAsync("api/v1/users", new { userName, password, role = "Admin" }, ct))
    {
        if (!user.IsSuccessStatusCode) throw new InvalidOperationException($"Creating the bench user failed: {(int)user.StatusCode} {await user.Content.ReadAsStringAsync(ct)}");
    }

    // Register in parallel.
    var sw = Stopwatch.StartNew();
    var run = Guid.NewGuid().ToString("N")[..6];
    var next = -1;
    var lockIds = new Lock();
    await Task.WhenAll(Enumerable.Range(0, opts.Parallel).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < opts.Services)
        {
            var flaps = flapEvery > 0 && i % flapEvery == 0;
            var (id, _) = await api.CreateHttpServiceAsync($"paint-{run}-{i:D5}", flaps ? new Uri(flapTarget.Url, $"flap/{i}") : target.Url, opts.IntervalSeconds, 2000, ct);
            lock (lockIds) ids.Add(id);
        }
    }));
    Console.WriteLine($"{opts.Services:N0} services registered in {sw.Elapsed.TotalSeconds:F1} s");
    report["registerSeconds"] = Math.Round(sw.Elapsed.TotalSeconds, 1);

    // Wait until none is "unknown" any more, i.e. each has a first result.
    sw.Restart();
    var limit = TimeSpan.FromSeconds(opts.IntervalSeconds * 3 + 60);
    long unknown;
    while ((unknown = await CountAsync(http, "status=unknown", ct)) > 0 && sw.Elapsed < limit)
        await Task.Delay(500, ct);
    Console.WriteLine(unknown == 0
        ? $"all checked after {sw.Elapsed.TotalSeconds:F1} s"
        : $"warning: {unknown} services still unknown after {sw.Elapsed.TotalSeconds:F0} s; measuring anyway");
    var expected = await CountAsync(http, null, ct);
    report["expectedTiles"] = expected;

    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
        Headless = !opts.Headed,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    var context = await browser.NewContextAsync(new BrowserNewContextOptions
    {
        ViewportSize = new ViewportSize { Width = 1280, Height = 720 },
        ColorScheme = ColorScheme.Dark,
    });
    var page = await context.NewPageAsync();
    // Sign in through the form; land on a script-free page so the first overview load is cold.
    await page.GotoAsync(new Uri(url, "login?returnUrl=%2Fhealth").ToString());
    await page.FillAsync("#userName", userName);
    await page.FillAsync("#password", password);
    await page.ClickAsync("#submit");
    await page.WaitForURLAsync(u => !u.Contains("/login", StringComparison.Ordinal));

    await context.AddInitScriptAsync(PageScript.Source(expected));
    var console = new List<string>();
    page.Console += (_, m) => { if (m.Type is "error" or "warning") lock (console) console.Add($"{m.Type}: {m.Text}"); };
    page.PageError += (_, e) => { lock (console) console.Add($"page error: {e}"); };
    var hub = new HubCounter();
    page.WebSocket += (_, ws) =>
    {
        ws.FrameReceived += (_, frame) => hub.OnFrame(frame.Text, frame.Binary);
        ws.FrameSent += (_, frame) => hub.OnSent(frame.Text);
    };

    var results = new List<NavigationResult>();
    ProcSampler? sampler = server is not null && ProcSampler.Supported ? new ProcSampler(server.Pid) : null;
    foreach (var name in new[] { "cold", "warm" })
    {
        Console.WriteLine($"{name}: loading / …");
        var loadPressure = CpuPressure.Read();
        await page.GotoAsync(url.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        try
        {
            await page.WaitForFunctionAsync("() => window.__pb && window.__pb.tilesPaintedAt !== null", null,
                new PageWaitForFunctionOptions { PollingInterval = 100, Timeout = 180_000 });
        }
        catch (TimeoutException)
        {
            var shot = Path.Combine(Path.GetTempPath(), $"paintbench-{name}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot });
            Console.WriteLine($"{name}: the grid never painted all {expected} tiles within 180 s (at {page.Url}; screenshot {shot})");
            foreach (var line in console.TakeLast(10)) Console.WriteLine($"  console: {line}");
        }
        var counted = await page.EvaluateAsync<int>("() => Number(document.getElementById('status-grid')?.dataset.painted ?? 0)");
        // The grid paints before the WebAssembly app runs; the steady state starts once the app has
        // taken the grid over (its start is a burst of long tasks that is not "handling updates"),
        // plus a short settle for the first snapshots and renders.
        try
        {
            await page.WaitForFunctionAsync("() => window.__pb && window.__pb.appAt !== null", null,
                new PageWaitForFunctionOptions { PollingInterval = 100, Timeout = 180_000 });
            await Task.Delay(TimeSpan.FromSeconds(opts.SettleSeconds), ct);
        }
        catch (TimeoutException)
        {
            Console.WriteLine($"{name}: the app did not take the grid over within 180 s; measuring anyway");
        }
        var loadCpuPressure = CpuPressure.Since(loadPressure);

        // Steady state: updates flow, nobody touches the page.
        hub.Reset();
        sampler?.Sample(0);
        var windowPressure = CpuPressure.Read();
        var t0 = await page.EvaluateAsync<double>("() => performance.now()");
        var samples = new List<ProcSample>();
        var windowStart = Stopwatch.GetTimestamp();
        for (var s = 1; s <= opts.WindowSeconds; s++)
        {
            var wait = TimeSpan.FromSeconds(s) - Stopwatch.GetElapsedTime(windowStart);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
            if (sampler?.Sample(s) is { } sample) samples.Add(sample);
        }
        var t1 = await page.EvaluateAsync<double>("() => performance.now()");
        var hubCounts = hub.Snapshot();
        var state = await page.EvaluateAsync<JsonElement>(PageScript.Collect);
        var result = NavigationResult.From(name, state, counted, t0, t1, hubCounts, loadCpuPressure, CpuPressure.Since(windowPressure), samples);
        results.Add(result);
        result.Print(expected);
    }

    report["navigations"] = new JsonArray([.. results.Select(r => r.ToJson())]);
    Console.WriteLine();
    NavigationResult.PrintTable(results, expected, opts);
    await context.CloseAsync();
}
finally
{
    report["cpuPressurePercent"] = Math.Round(CpuPressure.Since(pressureAtStart), 1);
    Console.WriteLine($"machine CPU pressure over the whole run: {CpuPressure.Since(pressureAtStart):F0} % (/proc/pressure/cpu some)");
    if (opts.Json is { } jsonPath)
    {
        await File.WriteAllTextAsync(jsonPath, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), CancellationToken.None);
        Console.WriteLine($"wrote {jsonPath}");
    }
    if (server is null && ids.Count > 0)
    {
        // A server we did not start keeps running: take our services away again.
        using var gate = new SemaphoreSlim(opts.Parallel);
        await Task.WhenAll(ids.Select(async id =>
        {
            await gate.WaitAsync(CancellationToken.None);
            try { await api.DeleteServiceAsync(id, CancellationToken.None); } catch (HttpRequestException) { }
            finally { gate.Release(); }
        }));
    }
    if (server is not null)
    {
        server.Dispose();
        try { Directory.Delete(server.DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
return 0;

static async Task<long> CountAsync(HttpClient http, string? filter, CancellationToken ct)
{
    using var response = await http.GetAsync($"api/v1/services?limit=1{(filter is null ? "" : "&" + filter)}", ct);
    response.EnsureSuccessStatusCode();
    return long.Parse(response.Headers.GetValues("X-Total-Count").First(), CultureInfo.InvariantCulture);
}

static class Publish
{
    /// <summary><c>dotnet publish</c> of the web project (Release), incremental.</summary>
    public static async Task RunAsync(string repoRoot, string output, CancellationToken ct)
    {
        var project = Path.Combine(repoRoot, "src", "Monitoring.Web", "Monitoring.Web.csproj");
        var psi = new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "-o", output, "-nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("Could not start dotnet publish.");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        try
        {
            await p.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromMinutes(15), ct);
        }
        catch
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish failed ({p.ExitCode}):{Environment.NewLine}{await stdout}{await stderr}");
    }
}

/// <summary>The script injected before every navigation: paint, long tasks, long animation frames, and when the grid is complete.</summary>
static class PageScript
{
    /// <summary>What the page recorded, with its paint entries and navigation timing (ms from navigation start).</summary>
    public const string Collect = """
        () => {
          const paint = {};
          for (const e of performance.getEntriesByType('paint')) paint[e.name] = e.startTime;
          const nav = performance.getEntriesByType('navigation')[0];
          return { ...window.__pb, paint, domContentLoaded: nav ? nav.domContentLoadedEventEnd : null, load: nav ? nav.loadEventEnd : null };
        }
        """;

    public static string Source(long expected) => """
        (() => {
          const pb = { longTasks: [], frames: [], messages: [], gridAt: null, firstTileAt: null, tilesAt: null, tilesPaintedAt: null, tileCount: 0, paintedBy: null, appAt: null, errors: [] };
          window.__pb = pb;
          const watch = (type, into) => {
            try {
              new PerformanceObserver(list => {
                for (const e of list.getEntries()) {
                  const entry = { start: e.startTime, duration: e.duration };
                  // Long animation frames name the scripts that ran in them (longest first).
                  if (e.scripts) entry.scripts = [...e.scripts].sort((a, b) => b.duration - a.duration).slice(0, 3)
                    .map(x => ({ invoker: String(x.invoker || ''), type: String(x.invokerType || ''), duration: x.duration, source: String(x.sourceFunctionName || '') }));
                  into.push(entry);
                }
              }).observe({ type, buffered: true });
            } catch (e) { pb.errors.push(type + ': ' + e); }
          };
          // Every hub frame the page's WebSocket delivers, with the targets it carries: a long task
          // that contains a frame's arrival is that frame's handling. Our listener is added before
          // SignalR's, so it runs first in the same task.
          const NativeWebSocket = window.WebSocket;
          window.WebSocket = class extends NativeWebSocket {
            constructor(...a) {
              super(...a);
              this.addEventListener('message', e => {
                if (pb.messages.length >= 100000) return;
                const text = typeof e.data === 'string' ? e.data : '';
                const names = [];
                for (const m of text.matchAll(/"type":3|"target":"(\w+)"/g)) names.push(m[1] || 'completion');
                pb.messages.push({ t: performance.now(), targets: names.join(',') || (text ? 'other' : 'binary'), bytes: text.length });
              });
            }
          };
          watch('longtask', pb.longTasks);
          watch('long-animation-frame', pb.frames);
          // Once a frame: the canvas grid sets data-painted to the tiles it drew (with their
          // statuses); the counts are written in the same frame. Then, until the app has taken
          // the grid over (it may paint before the WebAssembly app runs), when that happened.
          const tick = () => {
            const grid = document.getElementById('status-grid');
            if (grid && pb.tilesPaintedAt === null && pb.tilesAt === null) {
              if (pb.gridAt === null) pb.gridAt = performance.now();
              const n = Number(grid.dataset.painted || 0);
              const counts = document.querySelectorAll('#status-legend [data-count]').length;
              if (n > 0 && pb.firstTileAt === null) pb.firstTileAt = performance.now();
              if (n >= EXPECTED && counts > 0) {
                pb.tilesAt = performance.now(); pb.tileCount = n;
                pb.paintedBy = grid.closest('#grid-boot') ? 'before app' : 'app';
                // The next frame starts after the one with all tiles was painted.
                requestAnimationFrame(() => { pb.tilesPaintedAt = performance.now(); });
              }
            }
            if (pb.appAt === null && document.querySelector('#status-grid-host #status-grid')) pb.appAt = performance.now();
            if (pb.appAt === null || pb.tilesAt === null) requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        })();
        """.Replace("EXPECTED", expected.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}

/// <summary>
/// Counts hub messages the page receives (SignalR JSON protocol, records end with 0x1E), in total and
/// per target: invocations by their <c>target</c>, completions (type 3) as <c>completion:Method</c> of
/// the invocation the page sent with that id, anything else as <c>type:N</c>.
/// </summary>
sealed class HubCounter
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _invocationTargets = [];
    private readonly Dictionary<string, (long Count, long Bytes)> _byTarget = [];
    private long _frames, _bytes, _invocations, _servicesChanged, _changedServices;

    /// <summary>Invocations the page sends (hub method calls): remembered by id to name their completions.</summary>
    public void OnSent(string? text)
    {
        if (text is null) return;
        foreach (var record in text.Split('\u001e', StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                using var doc = JsonDocument.Parse(record);
                var root = doc.RootElement;
                if (root.TryGetProperty("invocationId", out var id) && root.TryGetProperty("target", out var t) && id.GetString() is { } i && t.GetString() is { } name)
                    lock (_lock) { if (_invocationTargets.Count < 10_000) _invocationTargets[i] = name; }
            }
            catch (JsonException) { }
        }
    }

    public void OnFrame(string? text, byte[]? binary)
    {
        var bytes = text is not null ? Encoding.UTF8.GetByteCount(text) : binary?.Length ?? 0;
        long invocations = 0, servicesChanged = 0, changed = 0;
        var targets = new List<(string, long)>();
        if (text is not null)
        {
            foreach (var record in text.Split('\u001e', StringSplitOptions.RemoveEmptyEntries))
            {
                var recordBytes = Encoding.UTF8.GetByteCount(record) + 1;
                try
                {
                    using var doc = JsonDocument.Parse(record);
                    var root = doc.RootElement;
                    var type = root.TryGetProperty("type", out var ty) ? ty.GetInt32() : 0;
                    if (type == 3)
                    {
                        var id = root.TryGetProperty("invocationId", out var i) ? i.GetString() : null;
                        string? method;
                        lock (_lock) { method = id is not null && _invocationTargets.Remove(id, out var m) ? m : "?"; }
                        targets.Add(("completion:" + method, recordBytes));
                        continue;
                    }
                    if (type != 1) { targets.Add(("type:" + type.ToString(CultureInfo.InvariantCulture), recordBytes)); continue; }
                    invocations++;
                    var target = root.TryGetProperty("target", out var t) ? t.GetString() ?? "?" : "?";
                    targets.Add((target, recordBytes));
                    if (target is "ServicesChanged" or "GridChanged")
                    {
                        servicesChanged++;
                        if (root.TryGetProperty("arguments", out var a) && a.GetArrayLength() > 0 && a[0].TryGetProperty("changed", out var c))
                            changed += c.GetArrayLength();
                    }
                }
                catch (JsonException) { targets.Add(("unparsed", recordBytes)); }
            }
        }
        else if (binary is not null)
        {
            targets.Add(("binary", bytes));
        }
        lock (_lock)
        {
            _frames++; _bytes += bytes; _invocations += invocations; _servicesChanged += servicesChanged; _changedServices += changed;
            foreach (var (target, b) in targets)
            {
                var (n, sum) = _byTarget.GetValueOrDefault(target);
                _byTarget[target] = (n + 1, sum + b);
            }
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            _frames = _bytes = _invocations = _servicesChanged = _changedServices = 0;
            _byTarget.Clear();
        }
    }

    public HubCounts Snapshot()
    {
        lock (_lock)
            return new(_frames, _bytes, _invocations, _servicesChanged, _changedServices,
                [.. _byTarget.OrderByDescending(kv => kv.Value.Bytes).Select(kv => new TargetCount(kv.Key, kv.Value.Count, kv.Value.Bytes))]);
    }
}

readonly record struct TargetCount(string Target, long Count, long Bytes);

readonly record struct HubCounts(long Frames, long Bytes, long Invocations, long ServicesChanged, long ChangedServices, TargetCount[] ByTarget);

readonly record struct Tasks(int Count, double TotalMs, double MaxMs)
{
    public static Tasks Of(IEnumerable<(double Start, double Duration)> entries)
    {
        var list = entries.ToList();
        return new(list.Count, list.Sum(e => e.Duration), list.Count == 0 ? 0 : list.Max(e => e.Duration));
    }

    public JsonObject ToJson() => new() { ["count"] = Count, ["totalMs"] = Math.Round(TotalMs), ["maxMs"] = Math.Round(MaxMs) };
    public override string ToString() => $"{Count} / {TotalMs:F0} / {MaxMs:F0}";
}

sealed record NavigationResult(
    string Name, double? FirstPaint, double? FirstContentfulPaint, double? DomContentLoaded, double? Load,
    double? GridAt, double? FirstTileAt, double? TilesAt, double? TilesPaintedAt, int Tiles, string? PaintedBy, double? AppAt,
    Tasks LoadLongTasks, Tasks LoadFrames, Tasks AppStartLongTasks, Tasks WindowLongTasks, Tasks WindowFrames, double WindowSeconds,
    HubCounts Hub, double LoadCpuPressure, double WindowCpuPressure, double? ServerCpu, string[] Errors,
    Cause[] LongTaskCauses, Cause[] FrameScripts)
{
    public static NavigationResult From(string name, JsonElement state, int counted, double t0, double t1, HubCounts hub,
        double loadPressure, double windowPressure, List<ProcSample> samples)
    {
        double? Num(string p) => state.TryGetProperty(p, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        (double Start, double Duration)[] Entries(string p) =>
            [.. state.GetProperty(p).EnumerateArray().Select(e => (e.GetProperty("start").GetDouble(), e.GetProperty("duration").GetDouble()))];
        var paint = state.GetProperty("paint");
        double? Paint(string n) => paint.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        var loadEnd = Num("tilesPaintedAt") ?? t0;
        var tasks = Entries("longTasks");
        var frames = Entries("frames");
        // Attribution in the window: the hub targets whose frames arrived inside each long task,
        // and the longest script of each long animation frame (invoker, e.g. a timer or onmessage).
        var messages = state.GetProperty("messages").EnumerateArray()
            .Select(m => (T: m.GetProperty("t").GetDouble(), Targets: m.GetProperty("targets").GetString() ?? "")).ToList();
        var causes = tasks.Where(e => e.Start >= t0 && e.Start < t1).Select(e =>
        {
            var inside = messages.Where(m => m.T >= e.Start - 1 && m.T <= e.Start + e.Duration)
                .SelectMany(m => m.Targets.Split(',')).Distinct().Order(StringComparer.Ordinal).ToList();
            return (Key: inside.Count == 0 ? "(no hub frame)" : string.Join('+', inside), e.Duration);
        });
        var scripts = state.GetProperty("frames").EnumerateArray()
            .Where(f => f.GetProperty("start").GetDouble() is var st && st >= t0 && st < t1)
            .Select(f =>
            {
                var key = "(no script)";
                if (f.TryGetProperty("scripts", out var sc) && sc.GetArrayLength() > 0)
                {
                    var top = sc[0];
                    key = $"{top.GetProperty("type").GetString()} {top.GetProperty("invoker").GetString()}".Trim();
                    if (top.GetProperty("source").GetString() is { Length: > 0 } fn) key += $" ({fn})";
                }
                return (Key: key, Duration: f.GetProperty("duration").GetDouble());
            });
        return new(name, Paint("first-paint"), Paint("first-contentful-paint"), Num("domContentLoaded"), Num("load"),
            Num("gridAt"), Num("firstTileAt"), Num("tilesAt"), Num("tilesPaintedAt"), counted,
            state.TryGetProperty("paintedBy", out var by) && by.ValueKind == JsonValueKind.String ? by.GetString() : null, Num("appAt"),
            Tasks.Of(tasks.Where(e => e.Start < loadEnd)), Tasks.Of(frames.Where(e => e.Start < loadEnd)),
            Tasks.Of(tasks.Where(e => e.Start >= loadEnd && e.Start < t0)),
            Tasks.Of(tasks.Where(e => e.Start >= t0 && e.Start < t1)), Tasks.Of(frames.Where(e => e.Start >= t0 && e.Start < t1)),
            (t1 - t0) / 1000, hub, loadPressure, windowPressure,
            samples.Count == 0 ? null : samples.Average(s => s.CpuPercent),
            [.. state.GetProperty("errors").EnumerateArray().Select(e => e.GetString() ?? "")],
            Cause.Group(causes), Cause.Group(scripts));
    }

    public void Print(long expected)
    {
        Console.WriteLine($"  first paint {Ms(FirstPaint)}, first contentful paint {Ms(FirstContentfulPaint)}, DOMContentLoaded {Ms(DomContentLoaded)}, load {Ms(Load)}");
        Console.WriteLine($"  grid element {Ms(GridAt)}, first tile {Ms(FirstTileAt)}, all {expected:N0} tiles and counts {Ms(TilesAt)} (painted by {Ms(TilesPaintedAt)}, {PaintedBy ?? "—"}), counted {Tiles:N0}; app took the grid over at {Ms(AppAt)}");
        Console.WriteLine($"  long tasks while loading {LoadLongTasks} (count / total ms / max ms), long animation frames {LoadFrames}");
        Console.WriteLine($"  long tasks from the grid's paint until the window (app start + settle) {AppStartLongTasks}");
        Console.WriteLine($"  window {WindowSeconds:F0} s: long tasks {WindowLongTasks}, long animation frames {WindowFrames}");
        Console.WriteLine($"  hub: {Hub.Frames} frames, {Hub.Bytes / 1024.0:F0} KiB, {Hub.ServicesChanged} ServicesChanged/GridChanged carrying {Hub.ChangedServices:N0} service updates ({Hub.ChangedServices / Math.Max(WindowSeconds, 1):F0}/s)");
        foreach (var t in Hub.ByTarget) Console.WriteLine($"    {t.Target}: {t.Count} messages, {t.Bytes / 1024.0:F1} KiB");
        Console.WriteLine("  long tasks in the window by the hub frames they handled (n / total / max ms):");
        foreach (var lc in LongTaskCauses) Console.WriteLine($"    {lc.Key}: {lc.Tasks}");
        Console.WriteLine("  long animation frames in the window by their longest script:");
        foreach (var fs in FrameScripts) Console.WriteLine($"    {fs.Key}: {fs.Tasks}");
        Console.WriteLine($"  CPU pressure: load {LoadCpuPressure:F0} %, window {WindowCpuPressure:F0} %{(ServerCpu is { } c ? $"; server CPU {c:F0} % of one core" : "")}");
        foreach (var e in Errors) Console.WriteLine($"  observer unsupported: {e}");
    }

    public static void PrintTable(List<NavigationResult> results, long expected, Args opts)
    {
        Console.WriteLine($"overview with {expected:N0} services (interval {opts.IntervalSeconds} s), window {opts.WindowSeconds} s; times from navigation start, ms");
        Console.WriteLine($"flap fraction {opts.FlapFraction}");
        Console.WriteLine("| load | FP | FCP | grid + counts painted | by | app took over | long tasks loading (n/total/max) | long tasks window (n/total/max) | LoAF window (n/total/max) | updates/s on the page | CPU pressure load/window |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
            Console.WriteLine($"| {r.Name} | {Ms(r.FirstPaint)} | {Ms(r.FirstContentfulPaint)} | {Ms(r.TilesPaintedAt)} | {r.PaintedBy ?? "—"} | {Ms(r.AppAt)} | {r.LoadLongTasks} | {r.WindowLongTasks} | {r.WindowFrames} | {r.Hub.ChangedServices / Math.Max(r.WindowSeconds, 1):F0} | {r.LoadCpuPressure:F0} / {r.WindowCpuPressure:F0} % |");
    }

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["firstPaintMs"] = R(FirstPaint),
        ["firstContentfulPaintMs"] = R(FirstContentfulPaint),
        ["domContentLoadedMs"] = R(DomContentLoaded),
        ["loadMs"] = R(Load),
        ["gridElementMs"] = R(GridAt),
        ["firstTileMs"] = R(FirstTileAt),
        ["allTilesMs"] = R(TilesAt),
        ["allTilesPaintedMs"] = R(TilesPaintedAt),
        ["tilesCounted"] = Tiles,
        ["paintedBy"] = PaintedBy,
        ["appTookOverMs"] = R(AppAt),
        ["loadLongTasks"] = LoadLongTasks.ToJson(),
        ["loadLongAnimationFrames"] = LoadFrames.ToJson(),
        ["appStartLongTasks"] = AppStartLongTasks.ToJson(),
        ["windowSeconds"] = Math.Round(WindowSeconds, 1),
        ["windowLongTasks"] = WindowLongTasks.ToJson(),
        ["windowLongAnimationFrames"] = WindowFrames.ToJson(),
        ["hub"] = new JsonObject
        {
            ["frames"] = Hub.Frames,
            ["bytes"] = Hub.Bytes,
            ["invocations"] = Hub.Invocations,
            ["servicesChanged"] = Hub.ServicesChanged,
            ["serviceUpdates"] = Hub.ChangedServices,
            ["byTarget"] = new JsonArray([.. Hub.ByTarget.Select(t => new JsonObject { ["target"] = t.Target, ["count"] = t.Count, ["bytes"] = t.Bytes })]),
        },
        ["windowLongTaskCauses"] = new JsonArray([.. LongTaskCauses.Select(c => c.ToJson())]),
        ["windowLongAnimationFrameScripts"] = new JsonArray([.. FrameScripts.Select(c => c.ToJson())]),
        ["cpuPressureLoadPercent"] = Math.Round(LoadCpuPressure, 1),
        ["cpuPressureWindowPercent"] = Math.Round(WindowCpuPressure, 1),
        ["serverCpuPercentAvg"] = ServerCpu is { } c ? Math.Round(c, 1) : null,
    };

    private static double? R(double? v) => v is { } x ? Math.Round(x, 1) : null;
    private static string Ms(double? v) => v is { } x ? x.ToString("F0", CultureInfo.InvariantCulture) : "—";
}

/// <summary>Long tasks (or frames) grouped by what they handled.</summary>
sealed record Cause(string Key, Tasks Tasks)
{
    public static Cause[] Group(IEnumerable<(string Key, double Duration)> entries) =>
        [.. entries.GroupBy(e => e.Key).Select(g => new Cause(g.Key, Tasks.Of(g.Select(e => (0.0, e.Duration))))).OrderByDescending(c => c.Tasks.TotalMs)];

    public JsonObject ToJson()
    {
        var o = Tasks.ToJson();
        o["key"] = Key;
        return o;
    }
}

/// <summary>/proc/pressure/cpu "some" total (µs): the share of wall time some runnable task waited for a core.</summary>
static class CpuPressure
{
    public readonly record struct Mark(long TotalUs, long Timestamp);

    public static Mark Read()
    {
        long total = -1;
        try
        {
            var line = File.ReadLines("/proc/pressure/cpu").First(l => l.StartsWith("some", StringComparison.Ordinal));
            var field = line.Split(' ').First(f => f.StartsWith("total=", StringComparison.Ordinal));
            total = long.Parse(field.AsSpan(6), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException) { }
        return new(total, Stopwatch.GetTimestamp());
    }

    public static double Since(Mark start)
    {
        var now = Read();
        if (start.TotalUs < 0 || now.TotalUs < 0) return -1;
        var wallUs = Stopwatch.GetElapsedTime(start.Timestamp, now.Timestamp).TotalMicroseconds;
        return wallUs <= 0 ? 0 : 100.0 * (now.TotalUs - start.TotalUs) / wallUs;
    }
}

sealed record Args(int Services, int IntervalSeconds, int WindowSeconds, int Parallel, string? Url, string? Key, string? ServerDll, bool NoBuild, string? Json, bool Headed, bool Help, double FlapFraction = 0.1, int SettleSeconds = 3)
{
    public static Args Parse(string[] args)
    {
        var a = new Args(10_000, 10, 30, 32, null, null, null, false, null, false, false);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            a = args[i] switch
            {
                "--services" or "-n" => a with { Services = Int() },
                "--interval" => a with { IntervalSeconds = Int() },
                "--window" => a with { WindowSeconds = Int() },
                "--settle" => a with { SettleSeconds = Int() },
                "--parallel" => a with { Parallel = Int() },
                "--flap-fraction" => a with { FlapFraction = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--url" => a with { Url = Next() },
                "--key" => a with { Key = Next() },
                "--server-dll" => a with { ServerDll = Next() },
                "--no-build" => a with { NoBuild = true },
                "--json" => a with { Json = Next() },
                "--headed" => a with { Headed = true },
                "--help" or "-h" => a with { Help = true },
                _ => throw new ArgumentException($"unknown argument {args[i]}; see --help or bench/README.md"),
            };
        }
        return a;
    }
}
