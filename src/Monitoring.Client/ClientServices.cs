using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Monitoring.Client.Api;
using Monitoring.Client.Live;
using Monitoring.Client.Shared;
using MudBlazor.Services;

namespace Monitoring.Client;

public static class ClientServices
{
    /// <summary>Registers what the interactive (WebAssembly) components need.</summary>
    public static IServiceCollection AddMonitoringClient(this IServiceCollection services, string baseAddress)
    {
        services.AddMudServices();
        services.AddScoped(_ => new HttpClient { BaseAddress = new Uri(baseAddress) });
        services.AddLiveStores();
        services.AddScoped<MonitoringApi>();
        services.AddScoped<ThemePreference>();
        return services;
    }

    /// <summary>The hub connection and the stores fed by it; one per browser tab.</summary>
    public static IServiceCollection AddLiveStores(this IServiceCollection services)
    {
        services.AddOptions<LiveOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IServicesFeed, HubServicesFeed>();
        services.TryAddSingleton<ServicesStore>();
        return services;
    }
}
