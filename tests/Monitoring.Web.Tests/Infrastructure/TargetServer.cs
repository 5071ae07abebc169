using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Monitoring.Web.Tests.Infrastructure;

/// <summary>
/// A real HTTP target on 127.0.0.1 that a test turns up and down. Down means the port is
/// closed (connection refused); up binds the same port again.
/// </summary>
public sealed class TargetServer : IAsyncDisposable
{
    private WebApplication? _app;

    public int Port { get; } = FreePort();
    public string Url => $"http://127.0.0.1:{Port}/";
    public int StatusCode { get; set; } = 200;
    /// <summary>How long each answer waits before it is sent (a slow target).</summary>
    public TimeSpan Delay { get; set; }
    public int Requests => _requests;
    private int _requests;

    public static async Task<TargetServer> StartAsync()
    {
        var server = new TargetServer();
        await server.UpAsync();
        return server;
    }

    public async Task UpAsync()
    {
        if (_app is not null) return;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();
        app.Run(async ctx =>
        {
            Interlocked.Increment(ref _requests);
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay, ctx.RequestAborted);
            ctx.Response.StatusCode = StatusCode;
            await ctx.Response.WriteAsync("ok");
        });
        await app.StartAsync();
        _app = app;
    }

    public async Task DownAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public ValueTask DisposeAsync() => new(DownAsync());

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public static class Eventually
{
    /// <summary>Re-evaluates <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes; returns the last value.</summary>
    public static async Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        T last = await probe();
        while (!condition(last))
        {
            try { await Task.Delay(50, cts.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}; last value: {last}"); }
            last = await probe();
        }
        return last;
    }
}
