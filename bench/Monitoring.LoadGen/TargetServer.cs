using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

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
    public Uri Url { get; private set; } = null!;

    /// <summary>Requests to <c>/slow</c> wait this long before answering.</summary>
    public static async Task<TargetServer> StartAsync(int slowMs, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        // Port 0: the OS picks a free one, read back from the server below.
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
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
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        target.Url = new Uri(address.EndsWith('/') ? address : address + "/");
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await _app.StopAsync(stop.Token); } catch (OperationCanceledException) { }
        await _app.DisposeAsync();
    }
}
