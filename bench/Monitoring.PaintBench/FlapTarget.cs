using System.Collections.Concurrent;
using System.Net;

namespace Monitoring.PaintBench;

/// <summary>
/// A second loopback target whose <c>/flap/{n}</c> answers 500 and 200 in turn, per path: a service
/// pointed at it changes status on every check, so the overview group carries real status changes
/// (a healthy fleet would send the overview nothing at all).
/// </summary>
sealed class FlapTarget : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    private FlapTarget(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public static async Task<FlapTarget> StartAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var target = new FlapTarget(app);
        app.Run(ctx =>
        {
            var n = target._counts.AddOrUpdate(ctx.Request.Path.Value ?? "", 1, (_, c) => c + 1);
            ctx.Response.StatusCode = n % 2 == 1 ? 500 : 200;
            return Task.CompletedTask;
        });
        await app.StartAsync(ct);
        var address = app.Urls.First();
        target.Url = new Uri(address.EndsWith('/') ? address : address + "/");
        return target;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
