using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Monitoring.LoadGen;

/// <summary>
/// The Monitoring server as a child process: built Release dll, its own temp data directory and a
/// free port. Output goes to a log file in the temp directory (and the last lines are kept for
/// errors), because an undrained pipe would eventually block the server's console logger.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    /// <summary>An admin key the started server accepts (the API needs one since security landed).</summary>
    public static readonly string BootstrapApiKey = "loadgen-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Queue<string> _tail = new();
    private readonly object _gate = new();
    private bool _disposed;

    private ServerProcess(Process process, StreamWriter log, Uri url, string dataDirectory)
    {
        _process = process;
        _log = log;
        Url = url;
        DataDirectory = dataDirectory;
    }

    public Uri Url { get; }
    public int Pid => _process.Id;
    public string DataDirectory { get; }
    public string LogPath => Path.Combine(DataDirectory, "server-console.log");
    public bool HasExited => _process.HasExited;

    public string Tail()
    {
        lock (_gate) return string.Join(Environment.NewLine, _tail);
    }

    public static string FindRepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Monitoring.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Monitoring.sln not found above the current directory; pass --server-dll.");
    }

    /// <summary>Incremental Release build of the web project, so the measured dll matches the sources.</summary>
    public static async Task BuildAsync(string repoRoot, CancellationToken ct)
    {
        var project = Path.Combine(repoRoot, "src", "Monitoring.Web", "Monitoring.Web.csproj");
        var psi = new ProcessStartInfo("dotnet", ["build", project, "-c", "Release", "-nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("Could not start dotnet build.");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        try
        {
            await p.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromMinutes(10), ct);
        }
        catch
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"dotnet build failed ({p.ExitCode}):{Environment.NewLine}{await stdout}{await stderr}");
    }

    public static async Task<ServerProcess> StartAsync(string dll, int? concurrency, int services, CancellationToken ct)
    {
        if (!File.Exists(dll)) throw new FileNotFoundException($"Server dll not found: {dll} (build it or drop --no-build).", dll);
        var dataDirectory = Directory.CreateTempSubdirectory("monitoring-loadgen-").FullName;
        var port = FreePort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var contentRoot = Path.GetDirectoryName(dll)!;

        var psi = new ProcessStartInfo("dotnet", [dll, "--urls", url.ToString().TrimEnd('/'), "--contentRoot", contentRoot])
        {
            WorkingDirectory = contentRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Monitoring__DataDirectory"] = dataDirectory;
        psi.Environment["Monitoring__Bootstrap__ApiKey"] = BootstrapApiKey;
        // The bench itself is one very busy caller: per-caller API limits would measure the limiter, not the engine.
        psi.Environment["Monitoring__Abuse__Enabled"] = "false";
        if (concurrency is { } c) psi.Environment["Monitoring__Checks__Concurrency"] = c.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Only raise the registry bound when the run needs it; otherwise measure the default configuration.
        if (services > 50_000) psi.Environment["Monitoring__Checks__MaxServices"] = services.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var log = new StreamWriter(Path.Combine(dataDirectory, "server-console.log")) { AutoFlush = true };
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        ServerProcess? server = null;
        process.OutputDataReceived += (_, e) => server?.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server?.OnLine(e.Data);
        if (!process.Start()) throw new InvalidOperationException("Could not start the server process.");
        server = new ServerProcess(process, log, url, dataDirectory);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await server.WaitReadyAsync(TimeSpan.FromSeconds(90), ct);
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_gate)
        {
            if (_disposed) return;
            _log.WriteLine(line);
            _tail.Enqueue(line);
            while (_tail.Count > 40) _tail.Dequeue();
        }
    }

    private async Task WaitReadyAsync(TimeSpan limit, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} during start:{Environment.NewLine}{Tail()}");
            try
            {
                using var response = await http.GetAsync(new Uri(Url, "health"), ct);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
            await Task.Delay(250, ct);
        }
        throw new TimeoutException($"The server did not answer /health within {limit.TotalSeconds:F0} s:{Environment.NewLine}{Tail()}");
    }

    private static int FreePort()
    {
        // Bind-and-release: a tiny race with other processes, acceptable for a bench on loopback.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        try
        {
            if (!_process.HasExited)
            {
                // A plain kill: everything the bench needs was read over HTTP, and the data directory is thrown away.
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
        _process.Dispose();
        _log.Dispose();
    }
}
