using System.Net;

namespace Monitoring.LoadGen;

/// <summary>
/// The thing the checks hit: a bare Kestrel on 127.0.0.1 answering 200 "ok" to everything.
/// No routing, no logging, so its own cost stays small next to the server under test. Paths under
/// <c>/slow</c> answer after a delay, to stand in for a slow dependency.
/// </summary>
public sealed class TargetServer : IAsyncDisposable
{
    private static readonly byte[] s_ok = "ok"u8.ToArray();
    private readonly WebApplication _app;
    private long _requests;

    private TargetServer(WebApplication app) => _app = app;

    /// <summary>Requests answered since start; read with <see cref="Interlocked"/> semantics.</summary>
    public long Requests => Interlocked.Read(ref _requests);
    /// <summary>One URL per loopback address listened on; all share one port.</summary>
    public IReadOnlyList<Uri> Urls { get; private set; } = [];
    public Uri Url => Urls[0];

    /// <summary>Requests to <c>/slow</c> wait this long before answering.</summary>
    public static async Task<TargetServer> StartAsync(int slowMs, int hosts, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        // One free port (bind-and-release) on 127.0.0.1..127.0.0.N: all of 127/8 is loopback on Linux.
        var port = FreePort();
        builder.WebHost.ConfigureKestrel(k =>
        {
            for (var i = 1; i <= hosts; i++) k.Listen(new IPAddress([127, 0, 0, (byte)i]), port);
        });
        var app = builder.Build();
        var target = new TargetServer(app);
        app.Run(async ctx =>
        {
            Interlocked.Increment(ref target._requests);
            if (slowMs > 0 && ctx.Request.Path.StartsWithSegments("/slow"))
            {
                try { await Task.Delay(slowMs, ctx.RequestAborted); }
                catch (OperationCanceledException) { return; } // the checker timed out and hung up
            }
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "text/plain";
            ctx.Response.ContentLength = s_ok.Length;
            await ctx.Response.Body.WriteAsync(s_ok);
        });
        await app.StartAsync(ct);
        target.Urls = [.. Enumerable.Range(1, hosts).Select(i => new Uri($"http://127.0.0.{i}:{port}/"))];
        return target;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await _app.StopAsync(stop.Token); } catch (OperationCanceledException) { }
        await _app.DisposeAsync();
    }
}
