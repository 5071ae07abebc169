using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;
using Monitoring.Web.Metrics;
using Monitoring.Web.Services;

namespace Monitoring.Web.Checks;

/// <summary>
/// Refreshes every service's 24 h uptime in the live state from the hourly buckets, once a
/// minute (and once at start), so lists and the hub never compute it per request.
/// </summary>
public sealed partial class UptimeRefresher(
    IOptions<MonitoringOptions> options, ServiceRegistry registry, ServiceStateCache states, AppMetrics metrics,
    TimeProvider time, ILogger<UptimeRefresher> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(60);
    private long _runs;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.Gauge("monitoring_uptime_refresh_runs", "Refreshes of the 24 h uptime figures since start.", () => Interlocked.Read(ref _runs));
        using var timer = new PeriodicTimer(Period, time);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public async Task RefreshAsync(CancellationToken ct)
    {
        await using var connection = new SqliteConnection(SqliteSetup.ConnectionString(options.Value));
        await connection.OpenAsync(ct);
        var map = await UptimeQueries.AllLast24hAsync(connection, time.GetUtcNow().ToUnixTimeMilliseconds(), ct);
        foreach (var service in registry.All)
            states.SetUptime(service.Id, map.TryGetValue(service.Id, out var u) ? u : null);
        Interlocked.Increment(ref _runs);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing uptime figures failed")]
    private partial void LogFailed(Exception ex);
}
