using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Monitoring.Web.Hosting;
using Monitoring.Web.Incidents;
using Monitoring.Web.Notifications.Channels;
using Monitoring.Web.Security;

namespace Monitoring.Web.Notifications;

public static class NotificationsRegistration
{
    /// <summary>Channels, outbox, delivery job, dispatcher; Data Protection keys persisted in the data directory.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration, MonitoringOptions options)
    {
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section))
            .Validate(o => o.RetryBaseSeconds > 0 && o.MaxRetryDelaySeconds >= o.RetryBaseSeconds && o.MaxAttempts >= 1
                && o.SendTimeoutSeconds > 0 && o.LeaseSeconds > o.SendTimeoutSeconds && o.SweepIntervalSeconds > 0 && o.DispatchBatch > 0
                && o.Breaker.FailureRatio is > 0 and <= 1 && o.Breaker.BreakDurationSeconds > 0,
                $"{NotificationOptions.Section}: delays, timeouts and counts must be positive, the lease longer than the send timeout, Breaker:FailureRatio in (0, 1].")
            .ValidateOnStart();

        // Secrets at rest (and the sign-in cookies) must survive a restart: keys live next to the database.
        services.AddDataProtection()
            .SetApplicationName("Monitoring")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetFullPath(options.DataDirectory), "keys")));

        services.AddHttpClient(HttpDelivery.ClientName, c => c.DefaultRequestHeaders.UserAgent.ParseAdd("Monitoring-Notifier/1.0"))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundPolicy>().Apply(new SocketsHttpHandler
            {
                AllowAutoRedirect = false, // a receiver redirecting elsewhere would get our signed body
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(10),
            }))
            .RemoveAllLoggers(); // request URLs can be secrets (Slack)

        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationChannel, WebhookChannel>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationChannel, SlackChannel>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationChannel, EmailChannel>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationChannel, PagerDutyChannel>());
        services.AddSingleton<ChannelTypes>();
        services.AddSingleton<ChannelSecrets>();
        services.AddSingleton<ChannelBreakers>();
        services.AddSingleton<NotificationMetrics>();
        services.AddSingleton<ChannelCatalog>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        services.AddSingleton<INotificationOutbox, NotificationOutbox>();
        services.AddTransient<NotificationDelivery>();
        services.AddSingleton<ITimelineSource, NotificationTimelineSource>();
        return services;
    }
}
