using Hangfire;
using Hangfire.Dashboard;
using Hangfire.InMemory;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitoring.Core.Realtime;
using Monitoring.Web.Alerts;
using Monitoring.Web.Checks;
using Monitoring.Web.Components;
using Monitoring.Web.Data;
using Monitoring.Web.Incidents;
using Monitoring.Web.Metrics;
using Monitoring.Web.Notifications;
using Monitoring.Web.Realtime;
using Monitoring.Web.Security;
using Monitoring.Web.Services;
using Serilog;
using Serilog.Formatting.Compact;

namespace Monitoring.Web.Hosting;

/// <summary>Registration and the HTTP pipeline, so Program.cs reads like a table of contents.</summary>
public static class HostingExtensions
{
    public static WebApplicationBuilder AddMonitoring(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MonitoringOptions>()
            .Bind(builder.Configuration.GetSection(MonitoringOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MonitoringOptions>, MonitoringOptionsValidator>();
        var options = builder.Configuration.GetSection(MonitoringOptions.Section).Get<MonitoringOptions>() ?? new MonitoringOptions();
        Directory.CreateDirectory(Path.GetFullPath(options.DataDirectory));

        builder.AddLogging(options);
        services.TryAddTimeProvider();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions["requestId"] = ctx.HttpContext.TraceIdentifier;
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
        });
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
        });

        services.AddSingleton<SqlitePragmaInterceptor>();
        services.AddDbContextFactory<MonitoringDbContext>((sp, o) =>
            o.UseSqlite(SqliteSetup.ConnectionString(sp.GetRequiredService<IOptions<MonitoringOptions>>().Value))
             .AddInterceptors(sp.GetRequiredService<SqlitePragmaInterceptor>()));

        services.AddSingleton<AppMetrics>();
        services.AddSingleton(sp => new ServiceRegistry(sp.GetRequiredService<IOptions<MonitoringOptions>>().Value.Checks.MaxServices));
        services.AddSingleton<ServiceStateCache>();
        services.AddSingleton<ServiceCatalog>();
        services.AddIncidentWorkflow();
        services.AddSingleton<CheckResultWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<CheckResultWriter>());
        services.AddSingleton<CheckScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<CheckScheduler>());
        services.AddSingleton<UptimeRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<UptimeRefresher>());
        services.AddSingleton<CheckExecutor>();
        services.AddSingleton<HeartbeatTracker>();
        services.AddCheckers(options);
        services.AddTransient<CheckResultRetentionJob>();

        services.AddMonitoringSecurity(options);
        services.AddMetricsAndEvents();
        services.AddNotifications(builder.Configuration, options);
        services.AddAlerts();

        services.AddSignalR(o => o.MaximumReceiveMessageSize = options.Abuse.MaxHubMessageBytes);
        services.AddSingleton<HubGroups>();
        services.AddSingleton<GroupSender>();
        services.AddSingleton<MetricFanout>();
        services.AddSingleton<StatusBroadcaster>();
        services.AddSingleton<StreamBroadcaster>();
        services.AddSingleton<EventBus>();
        services.AddHostedService(sp => sp.GetRequiredService<StatusBroadcaster>());

        // This host's own job storage, registered before AddHangfire so its JobStorage.Current fallback
        // is never used: with the global one, two hosts in one process (the tests) would run each
        // other's jobs against the wrong database.
        var jobStorage = new InMemoryStorage();
        services.AddSingleton<JobStorage>(jobStorage);
        services.AddHangfire(c => c.UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings().UseStorage(jobStorage));
        services.AddHangfireServer((sp, o) =>
        {
            o.WorkerCount = Math.Max(2, Environment.ProcessorCount);
            // Jobs are activated from this host's container; the default is the global
            // JobActivator.Current, i.e. whichever host configured Hangfire last.
#pragma warning disable CS0618 // the per-server activator is the only per-host hook Hangfire offers here
            o.Activator = new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>());
#pragma warning restore CS0618
        });

        services.AddRazorComponents().AddInteractiveWebAssemblyComponents();
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = 10 * 1024 * 1024);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.Abuse.MaxRequestBodyBytes);

        services.AddMonitoringAbuseProtection(); // rate limits, 413 for oversize bodies (Security/AbuseProtection.cs)
        return builder;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }

    private static void AddLogging(this WebApplicationBuilder builder, MonitoringOptions options)
    {
        var logPath = Path.Combine(Path.GetFullPath(options.DataDirectory), "logs", "monitoring-.json");
        builder.Services.AddSerilog((sp, lc) => lc
            .ReadFrom.Configuration(builder.Configuration)
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http.HttpClient", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Hangfire", Serilog.Events.LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {RequestId}{NewLine}{Exception}")
            .WriteTo.File(new CompactJsonFormatter(), logPath, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14,
                fileSizeLimitBytes: 100 * 1024 * 1024, rollOnFileSizeLimit: true));
    }

    /// <summary>Migrates the store and loads the registry before anything starts.</summary>
    public static async Task InitializeMonitoringAsync(this WebApplication app)
    {
        await DatabaseInitializer.MigrateAsync(app.Services);
        await app.InitializeSecurityAsync();
        await app.Services.GetRequiredService<ServiceCatalog>().LoadAsync(CancellationToken.None);
        await ServiceSeeder.SeedAsync(app.Services, CancellationToken.None);
        var retention = app.Services.GetRequiredService<IOptions<MonitoringOptions>>().Value.Retention;
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<CheckResultRetentionJob>(
            CheckResultRetentionJob.RecurringId, job => job.RunAsync(CancellationToken.None), retention.Schedule);
        await app.InitializeMetricsAsync();
        await app.InitializeAlertsAsync();
    }

    public static WebApplication MapMonitoring(this WebApplication app)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMonitoringAbuseProtection(); // headers, hub origin check, body size cap, rate limits (Security/AbuseProtection.cs)
        app.UseSerilogRequestLogging(o => o.GetLevel = (ctx, _, ex) =>
            ex is not null || ctx.Response.StatusCode >= 500 ? Serilog.Events.LogEventLevel.Error : Serilog.Events.LogEventLevel.Debug);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (app.Environment.IsDevelopment()) app.UseWebAssemblyDebugging();

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        // Public by nature: the WebAssembly bundle, styles and the login page's stylesheet.
        app.MapStaticAssets().AllowAnonymous();

        app.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization(Policies.CanRead);
        app.MapHealthApi(app.Services.GetRequiredService<IOptions<MonitoringOptions>>().Value.Security.MetricsAccess);
        app.MapAccountEndpoints();
        app.MapAdminApi();
        app.MapServicesApi();
        app.MapHeartbeatApi();
        app.MapIncidentsApi();
        app.MapReportApi();
        app.MapStreamApi();
        app.MapMetricsAndEventsApi();
        app.MapNotificationChannelsApi();
        app.MapAlertsApi();
        app.MapHub<MonitoringHub>(MonitoringHubContract.Path);
        // Admins only; the policy does the authorization, so Hangfire's own local-only filter is dropped.
        app.MapHangfireDashboardWithAuthorizationPolicy(Policies.CanAdmin, "/hangfire", new DashboardOptions { Authorization = [], AppPath = "/" });

        app.MapRazorComponents<App>()
            .AddInteractiveWebAssemblyRenderMode()
            .AddAdditionalAssemblies(typeof(Monitoring.Client.Routes).Assembly);
        return app;
    }
}
