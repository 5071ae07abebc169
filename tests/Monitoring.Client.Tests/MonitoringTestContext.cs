using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Client.Api;
using Monitoring.Client.Live;
using Monitoring.Client.Shared;
using MudBlazor.Services;

namespace Monitoring.Client.Tests;

/// <summary>What every component test needs: MudBlazor's services, loose JS interop and the live store over a fake feed.</summary>
public abstract class MonitoringTestContext : BunitContext, IAsyncLifetime
{
    protected MonitoringTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<IServicesFeed>(Feed);
        Services.AddLiveStores();
        Services.AddSingleton(new HttpClient(Http) { BaseAddress = FakeHttpHandler.BaseAddress });
        Services.AddScoped<MonitoringApi>();
        Services.AddScoped<ThemePreference>();
    }

    protected FakeServicesFeed Feed { get; } = new();

    /// <summary>The REST API as the pages see it; unknown routes answer 404.</summary>
    protected FakeHttpHandler Http { get; } = new();

    protected ServicesStore Store => Services.GetRequiredService<ServicesStore>();

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor registers services that only dispose asynchronously, and xUnit 2 calls the
    // synchronous Dispose unless told otherwise: dispose the container the async way first.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
