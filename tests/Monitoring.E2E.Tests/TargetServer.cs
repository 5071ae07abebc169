using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Monitoring.E2E.Tests;

/// <summary>An HTTP target on 127.0.0.1 whose health the test switches, for the checker to observe.</summary>
public sealed class TargetServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile int _statusCode = StatusCodes.Status200OK;

    private TargetServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What <c>/health</c> answers from now on.</summary>
    public HttpStatusCode StatusCode
    {
        get => (HttpStatusCode)_statusCode;
        set => _statusCode = (int)value;
    }

    public static async Task<TargetServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new TargetServer(app);
        app.MapGet("/health", () => Results.StatusCode(server._statusCode));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseAddress = new Uri(address + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
