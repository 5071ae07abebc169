using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
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

    public MonitoringHost(string dataDirectory, IDictionary<string, string?>? settings = null)
    {
        DataDirectory = dataDirectory;
        _settings = new Dictionary<string, string?>
        {
            ["Monitoring:DataDirectory"] = dataDirectory,
            ["Monitoring:Writer:FlushIntervalMs"] = "10",
            ["Monitoring:Realtime:CoalesceMs"] = "100",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) _settings[k] = v;
    }

    public string DataDirectory { get; }

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
