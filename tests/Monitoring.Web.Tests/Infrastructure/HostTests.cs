using Microsoft.Extensions.DependencyInjection;

namespace Monitoring.Web.Tests.Infrastructure;

/// <summary>
/// A test class over one real host in its own temp folder, started before each test and stopped
/// after it; <see cref="Client"/> is signed in with the admin bootstrap key.
/// </summary>
public abstract class HostTests : IAsyncLifetime
{
    protected TempDirectory Dir { get; } = new();
    protected MonitoringHost Host { get; private set; } = null!;
    protected HttpClient Client { get; private set; } = null!;

    /// <summary>Settings for the host, on top of the test defaults.</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    /// <summary>Service overrides for the host (fakes), applied on every start.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public virtual Task InitializeAsync()
    {
        Host = new MonitoringHost(Dir.Path, Settings, ConfigureServices);
        Client = Host.CreateClient();
        return Task.CompletedTask;
    }

    /// <summary>Stops the host and starts a new one on the same folder.</summary>
    protected async Task RestartAsync()
    {
        await Host.DisposeAsync();
        Host = new MonitoringHost(Dir.Path, Settings, ConfigureServices);
        Client = Host.CreateClient();
    }

    public virtual async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Dir.Dispose();
    }
}
