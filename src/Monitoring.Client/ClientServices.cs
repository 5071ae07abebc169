using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Monitoring.Client;

public static class ClientServices
{
    /// <summary>Registers what the interactive components need; the server calls it too for prerendering.</summary>
    public static IServiceCollection AddMonitoringClient(this IServiceCollection services, string baseAddress)
    {
        services.AddMudServices();
        services.AddScoped(_ => new HttpClient { BaseAddress = new Uri(baseAddress) });
        return services;
    }
}
