using Hangfire;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Metrics;

/// <summary>Registration of the metrics and events feature (one call each from the hosting extensions).</summary>
public static class MetricsRegistration
{
    public static IServiceCollection AddMetricsAndEvents(this IServiceCollection services)
    {
        services.AddSingleton<MetricSeriesCatalog>();
        services.AddSingleton<IngestParser>();
        services.AddSingleton<RecentSamples>();
        services.AddSingleton<MetricsLiveFeed>();
        services.AddSingleton<SampleStore>();
        services.AddSingleton<MetricSampleWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricSampleWriter>());
        services.AddSingleton<MetricsBroadcaster>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricsBroadcaster>());
        services.AddSingleton<HostMetricsCollector>();
        services.AddHostedService(sp => sp.GetRequiredService<HostMetricsCollector>());
        services.AddSingleton<MetricQueries>();
        services.AddTransient<MetricRollupJob>();
        services.AddTransient<MetricRetentionJob>();
        services.AddTransient<ResponseTimeAggregationJob>();
        return services;
    }

    /// <summary>Loads the series catalog and registers the rollup and retention jobs (after migration).</summary>
    public static async Task InitializeMetricsAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MonitoringOptions>>().Value;
        await using (var connection = new SqliteConnection(SqliteSetup.ConnectionString(options)))
        {
            await connection.OpenAsync();
            await app.Services.GetRequiredService<MetricSeriesCatalog>().LoadAsync(connection, CancellationToken.None);
            // Minute rollups stored one row a minute before the packed layout move into packed hours.
            await RollupStore.ConvertLegacyMinuteRollupsAsync(connection, CancellationToken.None);
            // Before ingest starts: old samples table → chunks, then the ingest log → head.
            await SqliteSetup.ApplyPragmasAsync(connection, CancellationToken.None);
            await app.Services.GetRequiredService<SampleStore>().LoadAsync(connection, CancellationToken.None);
        }
        var jobs = app.Services.GetRequiredService<IRecurringJobManager>();
        jobs.AddOrUpdate<MetricRollupJob>(MetricRollupJob.RecurringId, job => job.RunAsync(CancellationToken.None), options.Metrics.RollupSchedule);
        jobs.AddOrUpdate<MetricRetentionJob>(MetricRetentionJob.RecurringId, job => job.RunAsync(CancellationToken.None), options.Retention.Schedule);
    }

    public static IEndpointRouteBuilder MapMetricsAndEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapMetricsApi();
        Events.EventsApi.MapEventsApi(app);
        return app;
    }
}
