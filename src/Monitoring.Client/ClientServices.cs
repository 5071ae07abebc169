using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Monitoring.Client.Account;
using Monitoring.Client.Admin;
using Monitoring.Client.Alerts;
using Monitoring.Client.Api;
using Monitoring.Client.Live;
using Monitoring.Client.Shared;
using MudBlazor;
using MudBlazor.Services;

namespace Monitoring.Client;

public static class ClientServices
{
    /// <summary>Registers what the interactive (WebAssembly) components need.</summary>
    public static IServiceCollection AddMonitoringClient(this IServiceCollection services, string baseAddress)
    {
        // Bottom right: at the top they cover the pages' main action buttons.
        services.AddMudServices(c => c.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight);
        services.AddScoped(_ => new HttpClient { BaseAddress = new Uri(baseAddress) });
        services.AddLiveStores();
        services.AddAccountServices();
        services.AddScoped<MonitoringApi>();
        services.AddScoped<Notifications.ChannelsApi>();
        services.AddScoped<AlertsApi>();
        services.AddScoped<Incidents.IncidentWorkflowApi>();
        services.AddScoped<Incidents.IncidentEventStream>();
        services.AddScoped<ThemePreference>();
        services.AddScoped<Pages.Overview.MetricSelection>();
        services.AddScoped<Pages.ServiceEditApi>();
        return services;
    }

    /// <summary>Who is signed in, and the admin API client; both over the scoped <see cref="HttpClient"/>.</summary>
    public static IServiceCollection AddAccountServices(this IServiceCollection services)
    {
        services.TryAddScoped<CurrentUser>();
        services.TryAddScoped<AdminApi>();
        return services;
    }

    /// <summary>The hub connection and the stores fed by it; one per browser tab.</summary>
    public static IServiceCollection AddLiveStores(this IServiceCollection services)
    {
        services.AddOptions<LiveOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HubServicesFeed>();
        services.TryAddSingleton<IServicesFeed>(sp => sp.GetRequiredService<HubServicesFeed>());
        services.TryAddSingleton<ILiveFeed>(sp => sp.GetRequiredService<HubServicesFeed>());
        services.TryAddSingleton<ServicesStore>();
        services.TryAddSingleton<ConnectionStore>();
        services.TryAddSingleton<GridModule>();
        services.TryAddSingleton<IGridView>(sp => sp.GetRequiredService<GridModule>());
        services.TryAddSingleton<GridStore>();
        services.TryAddSingleton<AlertStore>();
        services.TryAddSingleton<StatsStore>();
        return services;
    }
}
