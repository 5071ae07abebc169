using System.Net.Http.Json;
using System.Text.Json;
using Monitoring.Web.Tests.Alerts;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Notifications;

/// <summary>The whole path: a sample crosses a rule's threshold, the engine fires, the outbox delivers to a real receiver.</summary>
public sealed class AlertToChannelTests : NotificationTestBase
{
    [Fact]
    public async Task OneAlertGivesExactlyOneFiringAndOneResolvedDeliveryToItsChannel_AndAcknowledgingIsNotResent()
    {
        var hook = await CreateWebhookAsync("ops-hook");
        var other = await CreateWebhookAsync("unrelated-hook", path: "other");
        var rule = await Client.CreateRuleAsync(new
        {
            name = "Queue too deep", query = "queue_depth{queue=\"orders\"} > 100", forSeconds = 0, windowSeconds = 60,
            aggregation = "last", severity = "critical", channelIds = new[] { hook.Id },
        });

        await Client.PostSampleAsync("queue_depth", 250, new() { ["queue"] = "orders" });
        var firing = await Client.WaitForAlertAsync(a => a.GetProperty("ruleId").GetInt64() == rule.Id() && a.Str("state") == "firing", "the alert to fire");

        await WaitForOutboxAsync(rows => rows.Count(r => r.Status == "delivered") == 1, "the firing delivery");
        var ack = await Client.PostAsync($"/api/v1/alerts/{firing.Id()}/acknowledge", null);
        ack.EnsureSuccessStatusCode();

        await Client.PostSampleAsync("queue_depth", 3, new() { ["queue"] = "orders" });
        await Client.WaitForAlertAsync(a => a.Id() == firing.Id() && a.Str("state") == "resolved", "the alert to resolve", query: "activeOnly=false");
        await WaitForOutboxAsync(rows => rows.Count == 2 && rows.All(r => r.Status == "delivered"), "the resolved delivery");

        var keys = Receiver.ActedKeys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        Assert.Equal([$"alert:{firing.Id()}:firing:{hook.Id}", $"alert:{firing.Id()}:resolved:{hook.Id}"], keys);
        Assert.All(Receiver.ActedCounts.Values, n => Assert.Equal(1, n));
        Assert.DoesNotContain(Receiver.Requests, r => r.Path.Contains("other", StringComparison.Ordinal));
        Assert.Equal(2, (await OutboxAsync()).Count);

        var bodies = Receiver.Requests.Where(r => !r.Aborted && r.StatusCode is >= 200 and < 300).Select(r => Json(r.Body)).ToList();
        Assert.Contains(bodies, b => b.ToString().Contains("Queue too deep", StringComparison.Ordinal));
        Assert.NotEqual(other.Id, hook.Id);
    }
}
