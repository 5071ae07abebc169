using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Core.Alerts;
using Monitoring.Core.Notifications;
using Monitoring.Web.Data;
using Monitoring.Web.Notifications;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Notifications;

/// <summary>A host with fast retries and a quick breaker, a real webhook receiver and a real SMTP sink.</summary>
public abstract class NotificationTestBase : HostTests
{
    protected WebhookReceiver Receiver { get; private set; } = null!;
    protected SmtpSink Smtp { get; } = new();
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(60); // generous: two cores shared with parallel builds

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Monitoring:Notifications:RetryBaseSeconds"] = "0.05",
        ["Monitoring:Notifications:MaxRetryDelaySeconds"] = "0.2",
        ["Monitoring:Notifications:SweepIntervalSeconds"] = "0.5",
        // Many hosts share this process and its two cores; a job that does not start in time is handed
        // to a new one (the lease and the idempotency key keep that from sending twice).
        ["Monitoring:Notifications:LostJobSeconds"] = "5",
        ["Monitoring:Notifications:SendTimeoutSeconds"] = "10",
        ["Monitoring:Notifications:Breaker:MinimumThroughput"] = "2",
        ["Monitoring:Notifications:Breaker:FailureRatio"] = "0.5",
        ["Monitoring:Notifications:Breaker:SamplingDurationSeconds"] = "30",
        ["Monitoring:Notifications:Breaker:BreakDurationSeconds"] = "2",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Receiver = await WebhookReceiver.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    protected async Task<NotificationChannelDto> CreateChannelAsync(object body)
    {
        var response = await Client.PostAsJsonAsync("/api/v1/notification-channels", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<NotificationChannelDto>())!;
    }

    protected Task<NotificationChannelDto> CreateWebhookAsync(string name = "hook", object? extraSettings = null, string[]? severities = null,
        Dictionary<string, string>? matchLabels = null, Dictionary<string, string>? secrets = null, string path = "webhook")
    {
        var settings = new Dictionary<string, string> { ["url"] = Receiver.Url + path };
        if (extraSettings is Dictionary<string, string> extra) foreach (var (k, v) in extra) settings[k] = v;
        return CreateChannelAsync(new { name, type = "webhook", settings, secrets, severities, matchLabels });
    }

    protected static AlertDto Alert(long id = 42, string severity = "critical", string state = "firing", string message = "cpu is high",
        Dictionary<string, string>? labels = null, long? serviceId = null, long? incidentId = null)
    {
        var at = DateTimeOffset.UtcNow;
        return new AlertDto(id, 7, "High CPU", $"fp-{id}", state, severity, message, labels ?? new() { ["host"] = "a" },
            serviceId, incidentId, 93.5, at, at, null, null, null, false, false, null, 0, at);
    }

    /// <summary>What the alert engine does: add in its own transaction, commit, then dispatch.</summary>
    protected async Task<int> NotifyAsync(AlertDto alert, string? eventKey = null, IReadOnlyList<long>? channelIds = null, string kind = "firing")
    {
        var outbox = Host.Services.GetRequiredService<INotificationOutbox>();
        await using var db = await Host.Services.GetRequiredService<IDbContextFactory<MonitoringDbContext>>().CreateDbContextAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        var added = await outbox.AddAsync(db, new AlertNotice(eventKey ?? $"alert:{alert.Id}:{kind}", kind, alert, channelIds ?? [], DateTimeOffset.UtcNow), CancellationToken.None);
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        outbox.Dispatch();
        return added;
    }

    protected async Task<List<NotificationOutboxEntity>> OutboxAsync()
    {
        await using var db = await Host.Services.GetRequiredService<IDbContextFactory<MonitoringDbContext>>().CreateDbContextAsync();
        return await db.NotificationOutbox.AsNoTracking().OrderBy(o => o.Id).ToListAsync();
    }

    protected async Task<List<NotificationOutboxEntity>> WaitForOutboxAsync(Func<List<NotificationOutboxEntity>, bool> condition, string what)
    {
        try
        {
            return await Eventually.WaitAsync(OutboxAsync, condition, Wait, what);
        }
        catch (TimeoutException ex)
        {
            var rows = string.Join("; ", (await OutboxAsync()).Select(o =>
                $"#{o.Id} {o.Status} attempts={o.Attempts} next={o.NextAttemptAtMs} enqueued={o.EnqueuedAtMs} lease={o.LeaseUntilMs} error={o.LastError}"));
            var monitor = Host.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
            var st = monitor.GetStatistics();
            var failed = string.Join(" | ", monitor.FailedJobs(0, 3).Select(j => $"{j.Value.Job?.Method.Name}: {j.Value.ExceptionType} {j.Value.ExceptionMessage} {j.Value.ExceptionDetails}"));
            var jobs = $"jobs enqueued={st.Enqueued} processing={st.Processing} scheduled={st.Scheduled} succeeded={st.Succeeded} failed={st.Failed} servers={st.Servers} [{failed}]";
            throw new TimeoutException($"{ex.Message}. Rows: {rows}. Now {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}; receiver saw {Receiver.Requests.Count}; {jobs}.", ex);
        }
    }

    protected static JsonElement Json(string body) => JsonDocument.Parse(body).RootElement;
}
