using System.Globalization;

namespace Monitoring.LoadGen;

/// <summary>Command-line options. Hand-parsed: the tool must not pull in packages the solution doesn't pin.</summary>
public sealed class LoadGenOptions
{
    public int Services { get; private set; } = 1000;
    public int IntervalSeconds { get; private set; } = 10;
    public int DurationSeconds { get; private set; } = 60;
    /// <summary>Defaults to one interval: every service has had its first slot before measuring starts.</summary>
    public int? WarmupSeconds { get; private set; }
    public int TimeoutMs { get; private set; } = 2000;
    public int? Concurrency { get; private set; }
    public Uri? Url { get; private set; }
    public int? Pid { get; private set; }
    public string? ServerDll { get; private set; }
    public bool NoBuild { get; private set; }
    public int Parallel { get; private set; } = 16;
    public double ApiRps { get; private set; } = 20;
    public string? JsonPath { get; private set; }
    public bool KeepTemp { get; private set; }
    public bool KeepServices { get; private set; }
    /// <summary>Seconds to wait after the window before reading history, so the last slots are written.</summary>
    public int? GraceSeconds { get; private set; }
    public List<KeyValuePair<string, string>> Headers { get; } = [];
    /// <summary>Share of services whose target answers only after <see cref="SlowMs"/> (a slow dependency).</summary>
    public double SlowFraction { get; private set; }
    public int SlowMs { get; private set; } = 1000;
    /// <summary>Loopback addresses the target listens on (127.0.0.1 .. 127.0.0.N); services are spread over them.</summary>
    public int TargetHosts { get; private set; } = 1;

    public int Warmup => WarmupSeconds ?? IntervalSeconds;
    public int Grace => GraceSeconds ?? (int)Math.Ceiling(TimeoutMs / 1000.0) + 3;

    public const string Usage = """
        Monitoring.LoadGen — drives the check engine and measures it.

          --services N        services to register (default 1000)
          --interval S        check interval in seconds (default 10)
          --duration S        measured window in seconds (default 60)
          --warmup S          wait after registration before measuring (default: one interval)
          --timeout-ms MS     check timeout of each service (default 2000)
          --concurrency N     Monitoring__Checks__Concurrency of the started server (default: server's own)
          --url URL           use a running server instead of starting one
          --pid PID           with --url: the server's process id on this machine, for CPU/RSS sampling
          --server-dll PATH   Monitoring.Web.dll to start (default: src/Monitoring.Web/bin/Release/net10.0/)
          --no-build          don't build src/Monitoring.Web in Release before starting it
          --parallel N        parallel requests for registration and history reads (default 16)
          --api-rps R         health-endpoint probes per second during the window (default 20)
          --slow-fraction F   share of services whose target answers slowly (default 0)
          --slow-ms MS        how slowly (default 1000; above --timeout-ms they time out)
          --target-hosts N    target listens on 127.0.0.1..127.0.0.N and services are spread over them
                              (the checker pools connections per host, so this is "N distinct hosts"; default 1)
          --header "K: V"     extra request header for the API (repeatable, e.g. an API key)
          --grace S           wait after the window before reading history (default timeout + 3 s)
          --json PATH         also write the report as JSON
          --keep-temp         keep the temp data directory (SQLite file, server log)
          --keep-services     with --url: don't delete the registered services at the end
        """;

    public static LoadGenOptions Parse(string[] args)
    {
        var o = new LoadGenOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value.");
            int Int(int min, int max)
            {
                var s = Next();
                if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
                    throw new ArgumentException($"{a} must be an integer in [{min}, {max}], got '{s}'.");
                return v;
            }
            switch (a)
            {
                case "--services": o.Services = Int(1, 1_000_000); break;
                case "--interval": o.IntervalSeconds = Int(1, 86_400); break;
                case "--duration": o.DurationSeconds = Int(1, 86_400); break;
                case "--warmup": o.WarmupSeconds = Int(0, 86_400); break;
                case "--timeout-ms": o.TimeoutMs = Int(1, 600_000); break;
                case "--concurrency": o.Concurrency = Int(1, 10_000); break;
                case "--target-hosts": o.TargetHosts = Int(1, 254); break;
                case "--slow-ms": o.SlowMs = Int(0, 600_000); break;
                case "--slow-fraction":
                    var f = Next();
                    if (!double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) || fraction < 0 || fraction > 1)
                        throw new ArgumentException($"--slow-fraction must be in [0, 1], got '{f}'.");
                    o.SlowFraction = fraction;
                    break;
                case "--pid": o.Pid = Int(1, int.MaxValue); break;
                case "--parallel": o.Parallel = Int(1, 1024); break;
                case "--grace": o.GraceSeconds = Int(0, 3600); break;
                case "--api-rps":
                    var r = Next();
                    if (!double.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out var rps) || rps < 0 || rps > 10_000)
                        throw new ArgumentException($"--api-rps must be in [0, 10000], got '{r}'.");
                    o.ApiRps = rps;
                    break;
                case "--url":
                    var u = Next();
                    if (!Uri.TryCreate(u.EndsWith('/') ? u : u + "/", UriKind.Absolute, out var uri)) throw new ArgumentException($"--url is not an absolute URL: '{u}'.");
                    o.Url = uri;
                    break;
                case "--server-dll": o.ServerDll = Path.GetFullPath(Next()); break;
                case "--no-build": o.NoBuild = true; break;
                case "--json": o.JsonPath = Path.GetFullPath(Next()); break;
                case "--keep-temp": o.KeepTemp = true; break;
                case "--keep-services": o.KeepServices = true; break;
                case "--header":
                    var h = Next();
                    var colon = h.IndexOf(':');
                    if (colon <= 0) throw new ArgumentException($"--header must look like 'Name: value', got '{h}'.");
                    o.Headers.Add(new(h[..colon].Trim(), h[(colon + 1)..].Trim()));
                    break;
                case "-h" or "--help": throw new HelpRequestedException();
                default: throw new ArgumentException($"Unknown option '{a}'.");
            }
        }
        if (o.TimeoutMs >= o.IntervalSeconds * 1000)
            throw new ArgumentException("--timeout-ms must be shorter than the interval (the server rejects it too).");
        return o;
    }
}

public sealed class HelpRequestedException : Exception;
