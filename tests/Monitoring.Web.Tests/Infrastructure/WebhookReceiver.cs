using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Monitoring.Web.Tests.Infrastructure;

/// <summary>One request the receiver saw.</summary>
public sealed record ReceivedRequest(string Path, string? IdempotencyKey, string Body, IReadOnlyDictionary<string, string> Headers, int StatusCode, bool Aborted);

/// <summary>
/// A real webhook receiver on 127.0.0.1 (Kestrel). Answers from a script of status codes (then 200),
/// can hold requests until released, and acts on each idempotency key at most once, like a careful
/// receiver: <see cref="ActedKeys"/> is what it acted on.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private WebApplication? _app;
    private readonly ConcurrentQueue<int> _script = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, int> _acted = new();
    private TaskCompletionSource? _hold;
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Port { get; } = TargetServer.FreePort();
    public string Url => $"http://127.0.0.1:{Port}/";

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];
    public IReadOnlyCollection<string> ActedKeys => [.. _acted.Keys];
    /// <summary>How often each key was acted on (always 1 when retries carry the same key).</summary>
    public IReadOnlyDictionary<string, int> ActedCounts => _acted;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        await receiver.UpAsync();
        return receiver;
    }

    /// <summary>The next requests get these status codes, in order; then 200.</summary>
    public void Script(params int[] statusCodes)
    {
        foreach (var code in statusCodes) _script.Enqueue(code);
    }

    /// <summary>Requests from now on wait until <see cref="Release"/>; <see cref="Held"/> completes when the first one arrives.</summary>
    public void Hold() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    public Task Held => _held.Task;
    public void Release() => Interlocked.Exchange(ref _hold, null)?.TrySetResult();

    public async Task UpAsync()
    {
        if (_app is not null) return;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        _app = app;
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body);
        var body = await reader.ReadToEndAsync();
        var key = ctx.Request.Headers["Idempotency-Key"].ToString();
        var headers = ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        if (_hold is { } hold)
        {
            _held.TrySetResult();
            try { await hold.Task.WaitAsync(ctx.RequestAborted); }
            catch (OperationCanceledException)
            {
                _requests.Enqueue(new ReceivedRequest(ctx.Request.Path, key, body, headers, 0, Aborted: true));
                return;
            }
        }
        var status = _script.TryDequeue(out var scripted) ? scripted : 200;
        // A careful receiver acts once per key, and only when it answers success.
        if (status is >= 200 and < 300 && key.Length > 0) _acted.AddOrUpdate(key, 1, (_, n) => n + 1);
        _requests.Enqueue(new ReceivedRequest(ctx.Request.Path, key.Length == 0 ? null : key, body, headers, status, Aborted: false));
        ctx.Response.StatusCode = status;
        await ctx.Response.WriteAsync(status < 300 ? "ok" : "no");
    }

    public async Task DownAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await DownAsync();
    }
}
