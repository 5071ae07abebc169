using System.Net.Http.Json;
using Monitoring.Core.Notifications;
using Monitoring.Web.Notifications;
using Monitoring.Web.Notifications.Channels;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Notifications;

public sealed class DeliveryTests : NotificationTestBase
{
    [Fact]
    public async Task OneNotice_GivesExactlyOneDeliveryPerChannel_InEachChannelsFormat()
    {
        var webhook = await CreateWebhookAsync();
        var slack = await CreateChannelAsync(new { name = "slack", type = "slack", settings = new { channel = "#ops" }, secrets = new { webhookUrl = Receiver.Url + "slack/T000/B000/xyz" } });
        var pd = await CreateChannelAsync(new { name = "pd", type = "pagerduty", settings = new { url = Receiver.Url + "pd" }, secrets = new { routingKey = "R0UTINGKEY0123456789" } });
        var email = await CreateChannelAsync(new
        {
            name = "mail", type = "email",
            settings = new { host = "127.0.0.1", port = Smtp.Port.ToString(), useTls = "false", from = "monitoring@example.test", to = "oncall@example.test, boss@example.test" },
        });

        Assert.Equal(4, await NotifyAsync(Alert()));
        var rows = await WaitForOutboxAsync(r => r.Count == 4 && r.All(o => o.Status == OutboxStatus.Delivered), "four delivered rows");

        Assert.All(rows, r => Assert.Equal(1, r.Attempts));
        var requests = Receiver.Requests;
        Assert.Equal(3, requests.Count);
        var hook = Assert.Single(requests, r => r.Path == "/webhook");
        Assert.Equal($"alert:42:firing:{webhook.Id}", hook.IdempotencyKey);
        Assert.Equal("High CPU", Json(hook.Body).GetProperty("alert").GetProperty("ruleName").GetString());

        var slackRequest = Assert.Single(requests, r => r.Path.StartsWith("/slack", StringComparison.Ordinal));
        Assert.Equal($"alert:42:firing:{slack.Id}", slackRequest.IdempotencyKey);
        var slackBody = Json(slackRequest.Body);
        Assert.Contains("High CPU", slackBody.GetProperty("text").GetString());
        Assert.Equal("#ops", slackBody.GetProperty("channel").GetString());
        Assert.Equal("danger", slackBody.GetProperty("attachments")[0].GetProperty("color").GetString());

        var pdRequest = Assert.Single(requests, r => r.Path == "/pd");
        var pdBody = Json(pdRequest.Body);
        Assert.Equal("R0UTINGKEY0123456789", pdBody.GetProperty("routing_key").GetString());
        Assert.Equal("trigger", pdBody.GetProperty("event_action").GetString());
        Assert.Equal("fp-42", pdBody.GetProperty("dedup_key").GetString());
        Assert.Equal("critical", pdBody.GetProperty("payload").GetProperty("severity").GetString());
        Assert.False(string.IsNullOrEmpty(pdBody.GetProperty("payload").GetProperty("summary").GetString()));
        Assert.False(string.IsNullOrEmpty(pdBody.GetProperty("payload").GetProperty("source").GetString()));

        var mail = Assert.Single(Smtp.Messages);
        Assert.Equal("monitoring@example.test", mail.From);
        Assert.Equal(["oncall@example.test", "boss@example.test"], mail.To);
        Assert.Equal($"alert:42:firing:{email.Id}", mail.Header("Idempotency-Key"));
        Assert.Equal($"<{EmailChannel.MessageId($"alert:42:firing:{email.Id}", "example.test")}>", mail.Header("Message-ID"));
        Assert.Contains("High CPU", mail.Header("Subject"));

        // A resolve of the same alert is a new event: PagerDuty gets "resolve" with the same dedup key.
        await NotifyAsync(Alert(state: "resolved"), kind: "resolved");
        await WaitForOutboxAsync(r => r.Count == 8 && r.All(o => o.Status == OutboxStatus.Delivered), "eight delivered rows");
        var resolve = Json(Receiver.Requests.Where(r => r.Path == "/pd").Last().Body);
        Assert.Equal("resolve", resolve.GetProperty("event_action").GetString());
        Assert.Equal("fp-42", resolve.GetProperty("dedup_key").GetString());
    }

    [Fact]
    public async Task TheSameNoticeTwice_AddsNoSecondRow()
    {
        await CreateWebhookAsync();
        Assert.Equal(1, await NotifyAsync(Alert()));
        Assert.Equal(0, await NotifyAsync(Alert()));
        await WaitForOutboxAsync(r => r.Single().Status == OutboxStatus.Delivered, "delivery");
        Assert.Single(Receiver.Requests);
    }

    [Fact]
    public async Task ReceiverAnswering500Then500Then200_IsDeliveredOnce_WithTheSameIdempotencyKey()
    {
        var channel = await CreateWebhookAsync();
        Receiver.Script(500, 500);
        await NotifyAsync(Alert());

        var row = (await WaitForOutboxAsync(r => r.Single().Status == OutboxStatus.Delivered, "delivery after two failures")).Single();
        Assert.Equal(3, row.Attempts);
        Assert.Equal(200, row.LastStatusCode);
        Assert.Equal([500, 500, 200], Receiver.Requests.Select(r => r.StatusCode));
        Assert.All(Receiver.Requests, r => Assert.Equal($"alert:42:firing:{channel.Id}", r.IdempotencyKey));
        Assert.Equal(1, Assert.Single(Receiver.ActedCounts).Value);
    }

    [Fact]
    public async Task A4xxAnswer_IsNotRetried_AndTheRowIsDead()
    {
        await CreateWebhookAsync();
        Receiver.Script(400);
        await NotifyAsync(Alert());
        var row = (await WaitForOutboxAsync(r => r.Single().Status == OutboxStatus.Dead, "dead row")).Single();
        Assert.Equal(1, row.Attempts);
        Assert.Contains("400", row.LastError);
        Assert.Single(Receiver.Requests);
    }

    [Fact]
    public async Task ReceiverDown_OpensTheBreaker_ChecksKeepRunning_AndDeliveryCompletesWhenItReturns()
    {
        await using var t = await TargetServer.StartAsync();
        var service = await Client.PostAsJsonAsync("/api/v1/services", new { name = "web", type = "http", target = t.Url, intervalSeconds = 1, timeoutMs = 500 });
        Assert.True(service.IsSuccessStatusCode, await service.Content.ReadAsStringAsync());
        var channel = await CreateWebhookAsync();
        await Receiver.DownAsync();

        await NotifyAsync(Alert());
        await Eventually.WaitAsync(() => Client.GetFromJsonAsync<NotificationChannelDto>($"/api/v1/notification-channels/{channel.Id}")!,
            c => c!.BreakerState == "open", Wait, "the breaker to open");
        await Eventually.WaitAsync(() => Client.GetStringAsync("/metrics"),
            m => m.Contains("monitoring_notification_breakers_open 1\n") && m.Contains("monitoring_notification_outbox_pending 1\n"), Wait, "/metrics to show the open breaker");

        // The check engine is not held up: results keep coming while the breaker is open.
        var before = t.Requests;
        await Eventually.WaitAsync(() => Task.FromResult(t.Requests), n => n >= before + 2, Wait, "checks while the breaker is open");
        var waiting = (await OutboxAsync()).Single();
        Assert.NotEqual(OutboxStatus.Delivered, waiting.Status);

        await Receiver.UpAsync();
        var row = (await WaitForOutboxAsync(r => r.Single().Status == OutboxStatus.Delivered, "delivery after the receiver returned")).Single();
        Assert.Equal(1, Assert.Single(Receiver.ActedCounts).Value);
        Assert.Single(Receiver.Requests); // the breaker kept attempts away from the dead receiver
        Assert.True(row.Attempts >= 3, $"attempts {row.Attempts}");
        await Eventually.WaitAsync(() => Client.GetFromJsonAsync<NotificationChannelDto>($"/api/v1/notification-channels/{channel.Id}")!,
            c => c!.BreakerState == "closed", Wait, "the breaker to close");
        Assert.Contains("monitoring_notifications_total{outcome=\"delivered\"} 1", await Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task ProcessStoppedDuringDelivery_DeliversAfterRestart_Once()
    {
        var channel = await CreateWebhookAsync();
        Receiver.Hold();
        await NotifyAsync(Alert());
        await Receiver.Held.WaitAsync(Wait);

        await RestartAsync(); // the host dies while the receiver holds the request
        Receiver.Release(); // the new host re-enqueues what was pending at start
        var row = (await WaitForOutboxAsync(r => r.Single().Status == OutboxStatus.Delivered, "delivery after restart")).Single();

        Assert.Equal($"alert:42:firing:{channel.Id}", row.IdempotencyKey);
        Assert.Equal([$"alert:42:firing:{channel.Id}"], Receiver.ActedKeys);
        Assert.Equal(1, Receiver.ActedCounts.Single().Value);
        Assert.All(Receiver.Requests, r => Assert.Equal(row.IdempotencyKey, r.IdempotencyKey));
    }

    [Fact]
    public async Task WebhookSignature_IsHmacOfTimestampAndBody()
    {
        const string secret = "a-long-shared-secret-0123456789";
        await CreateWebhookAsync(secrets: new() { ["hmacSecret"] = secret });
        await NotifyAsync(Alert());
        await WaitForOutboxAsync(r => r.Single().Status == OutboxStatus.Delivered, "delivery");
        var request = Receiver.Requests.Single();
        var timestamp = request.Headers[WebhookChannel.TimestampHeader];
        Assert.Equal("sha256=" + WebhookChannel.Sign(secret, timestamp, request.Body), request.Headers[WebhookChannel.SignatureHeader]);
        Assert.DoesNotContain(secret, request.Body);
    }
}
