using Bunit;
using Bunit.Rendering;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Client.Api;
using Monitoring.Client.Live;
using Monitoring.Client.Shared;
using MudBlazor;
using MudBlazor.Services;

namespace Monitoring.Client.Tests;

/// <summary>
/// What every component test needs: MudBlazor's services, loose JS interop, the live store over a
/// fake feed, and the app's HttpClient over <see cref="FakeApi"/> (signed in as an admin unless a
/// test answers <c>/api/v1/account/me</c> differently).
/// </summary>
public abstract class MonitoringTestContext : BunitContext, IAsyncLifetime
{
    protected MonitoringTestContext()
    {
        // Generous: the machines running these share two cores with parallel builds, and a wait only
        // takes this long when it would otherwise fail.
        DefaultWaitTimeout = TestTimeouts.Signal * 2;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<IServicesFeed>(Feed);
        Services.AddSingleton<ILiveFeed>(LiveFeed);
        Services.AddScoped<Monitoring.Client.Pages.Overview.MetricSelection>();
        Services.AddScoped<Monitoring.Client.Pages.ServiceEditApi>();
        Services.AddScoped<Monitoring.Client.Incidents.IncidentEventStream>();
        Services.AddLiveStores();
        // One HttpClient for the app: the admin tests' canned routes first, then the live-dashboard ones.
        Api.Fallback = Http;
        Api.Json("GET", AdminData.Me, AdminData.AdminAccount());
        Services.AddScoped(_ => Api.CreateClient());
        Services.AddAccountServices();
        Services.AddScoped<MonitoringApi>();
        Services.AddScoped<ThemePreference>();
    }

    protected FakeServicesFeed Feed { get; } = new();

    protected FakeLiveFeed LiveFeed { get; } = new();

    protected FakeApi Api { get; } = new();

    /// <summary>The REST API as the live pages see it; unknown routes answer 404.</summary>
    protected FakeHttpHandler Http { get; } = new();

    protected ServicesStore Store => Services.GetRequiredService<ServicesStore>();

    /// <summary>
    /// Renders <typeparamref name="TComponent"/> next to the popover, dialog and snackbar providers
    /// (as the layout does), so dialogs, selects and snackbars it opens show up in the same markup.
    /// </summary>
    protected IRenderedComponent<ContainerFragment> RenderWithProviders<TComponent>() where TComponent : IComponent =>
        Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<MudSnackbarProvider>(2);
            builder.CloseComponent();
            builder.OpenComponent<TComponent>(3);
            builder.CloseComponent();
        });

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor registers services that only dispose asynchronously, and xUnit 2 calls the
    // synchronous Dispose unless told otherwise: dispose the container the async way first.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
