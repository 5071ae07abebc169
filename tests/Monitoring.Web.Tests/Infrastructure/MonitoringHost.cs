using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Monitoring.Web.Data;

namespace Monitoring.Web.Tests.Infrastructure;

/// <summary>
/// The real host over a real SQLite file in a temp folder. Dispose stops it; a new instance
/// on the same folder is a restart.
/// </summary>
public sealed class MonitoringHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    private readonly Action<IServiceCollection>? _services;

    /// <param name="services">Service overrides applied after the app's own registrations (fakes for tests).</param>
    public MonitoringHost(string dataDirectory, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        DataDirectory = dataDirectory;
        _services = services;
        _settings = new Dictionary<string, string?>
        {
            ["Monitoring:DataDirectory"] = dataDirectory,
            ["Monitoring:Writer:FlushIntervalMs"] = "10",
            ["Monitoring:Realtime:CoalesceMs"] = "100",
            ["Monitoring:Bootstrap:ApiKey"] = BootstrapKey,
            ["Monitoring:Security:MinPasswordLength"] = "8",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) _settings[k] = v;
    }

    public string DataDirectory { get; }

    /// <summary>The admin-scope key every client from <see cref="WebApplicationFactory{T}.CreateClient()"/> sends.</summary>
    public const string BootstrapKey = "test-bootstrap-key-0123456789abcdef0123456789";

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add("X-Api-Key", BootstrapKey);
    }

    /// <summary>A client that presents no credentials (cookies are kept, redirects not followed).</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Remove("X-Api-Key");
        return client;
    }

    /// <summary>
    /// A hub connection through the test server (long polling), authenticated by a cookie header
    /// (a signed-in browser) or, by default, the bootstrap key.
    /// </summary>
    public Microsoft.AspNetCore.SignalR.Client.HubConnection ConnectHub(string? cookie = null) =>
        new Microsoft.AspNetCore.SignalR.Client.HubConnectionBuilder()
            .WithUrl(new Uri(Server.BaseAddress, Monitoring.Core.Realtime.MonitoringHubContract.Path), o =>
            {
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => Server.CreateHandler();
                if (cookie is null) o.Headers["X-Api-Key"] = BootstrapKey;
                else o.Headers["Cookie"] = cookie;
            })
            .Build();

    /// <summary>A client sending the given API key.</summary>
    public HttpClient CreateClientWithKey(string key)
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>When set, every EF Core context creation throws (to test the 500 path).</summary>
    public bool BreakDatabase { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
        builder.ConfigureServices(services =>
        {
            var descriptor = services.Single(d => d.ServiceType == typeof(IDbContextFactory<MonitoringDbContext>));
            services.Remove(descriptor);
            services.AddSingleton<IDbContextFactory<MonitoringDbContext>>(sp =>
            {
                var inner = (IDbContextFactory<MonitoringDbContext>)ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!);
                return new BreakableFactory(inner, this);
            });
            _services?.Invoke(services);
        });
    }

    private sealed class BreakableFactory(IDbContextFactory<MonitoringDbContext> inner, MonitoringHost host) : IDbContextFactory<MonitoringDbContext>
    {
        public MonitoringDbContext CreateDbContext() =>
            host.BreakDatabase ? throw new InvalidOperationException("secret-internal-detail: the store is unavailable") : inner.CreateDbContext();
    }
}

/// <summary>A temp folder removed at the end.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("monitoring-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
