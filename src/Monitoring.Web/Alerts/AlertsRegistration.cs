using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitoring.Core.Alerts;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;
using Monitoring.Web.Incidents;

namespace Monitoring.Web.Alerts;

/// <summary>Registration of the alerting feature (one call each from the hosting extensions).</summary>
public static class AlertsRegistration
{
    public const string BuiltInRulesSeed = "builtin-rules";

    public static IServiceCollection AddAlerts(this IServiceCollection services)
    {
        services.AddSingleton<AlertHubPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertHubPublisher>());
        services.AddSingleton<AlertEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertEngine>());
        services.AddSingleton<ITimelineSource, AlertTimelineSource>();
        services.AddTransient<AlertRetentionJob>();
        return services;
    }

    /// <summary>Seeds the built-in rules once and registers the retention job (after migration, before the engine starts).</summary>
    public static async Task InitializeAlertsAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MonitoringOptions>>().Value;
        if (options.Alerts.SeedBuiltInRules) await SeedAsync(app.Services, CancellationToken.None);
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<AlertRetentionJob>(
            AlertRetentionJob.RecurringId, job => job.RunAsync(CancellationToken.None), options.Retention.Schedule);
    }

    /// <summary>
    /// The seed behaviour: a failed check raises a Critical "Service {name} is down: {message}", a check
    /// slower than its threshold a Warning "Service {name} is slow: {latency} ms (threshold {t} ms)".
    /// They are ordinary rules (editable, deletable); a marker row keeps a deleted one from coming back.
    /// </summary>
    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<MonitoringDbContext>>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.AlertSeedMarkers.AnyAsync(m => m.Key == BuiltInRulesSeed, ct)) return;
        AlertRuleInput[] seeds =
        [
            new("Service down", "A check failed (the service is unhealthy).", "check_unhealthy", null, null, null, 0, null, null, "critical", null, null, null, null, true),
            new("Service slow", "A check answered slower than the service's latency threshold (degraded).", "check_degraded", null, null, null, 0, null, null, "warning", null, null, null, null, true),
        ];
        string[] keys = ["builtin:service-down", "builtin:service-slow"];
        for (var i = 0; i < seeds.Length; i++)
        {
            var rule = AlertMapping.NewRule(AlertRuleSpec.Validate(seeds[i], [])!, now);
            rule.BuiltInKey = keys[i];
            db.AlertRules.Add(rule);
        }
        db.AlertSeedMarkers.Add(new AlertSeedMarkerEntity { Key = BuiltInRulesSeed, SeededAtMs = now });
        await db.SaveChangesAsync(ct);
    }
}
