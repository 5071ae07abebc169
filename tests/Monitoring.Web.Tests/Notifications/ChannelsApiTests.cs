using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Core.Notifications;
using Monitoring.Web.Data;
using Monitoring.Web.Incidents;
using Monitoring.Web.Notifications;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Notifications;

public sealed class ChannelsApiTests : NotificationTestBase
{
    private const string SlackSecret = "T0SECRET/B0SECRET/ThisIsTheSlackSecretPart";

    private async Task<JsonElement> ValidationErrorsAsync(object body, string method = "POST", string path = "/api/v1/notification-channels")
    {
        var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(body) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
    }

    [Fact]
    public async Task Secrets_AreWriteOnly_EncryptedAtRest_AndNeverLoggedOrAudited()
    {
        var slackUrl = Receiver.Url + "slack/" + SlackSecret;
        Receiver.Script(500, 500); // failures get logged: the secret must not be in them
        var created = await Client.PostAsJsonAsync("/api/v1/notification-channels", new { name = "slack", type = "slack", secrets = new { webhookUrl = slackUrl } });
        var createdText = await created.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.DoesNotContain(SlackSecret, createdText);
        var channel = JsonSerializer.Deserialize<NotificationChannelDto>(createdText, JsonSerializerOptions.Web)!;
        Assert.Equal(["webhookUrl"], channel.SecretsSet);

        Assert.DoesNotContain(SlackSecret, await Client.GetStringAsync("/api/v1/notification-channels"));
        Assert.DoesNotContain(SlackSecret, await Client.GetStringAsync($"/api/v1/notification-channels/{channel.Id}"));

        // PUT without secrets keeps them; the channel still delivers.
        var updated = await Client.PutAsJsonAsync($"/api/v1/notification-channels/{channel.Id}", new { name = "slack-ops", severities = new[] { "critical" } });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(["webhookUrl"], (await updated.Content.ReadFromJsonAsync<NotificationChannelDto>())!.SecretsSet);
        await NotifyAsync(Alert());
        await WaitForOutboxAsync(r => r.Single().Status == OutboxStatus.Delivered, "delivery through the kept secret");
        Assert.All(Receiver.Requests, r => Assert.Equal("/slack/" + SlackSecret, r.Path));

        var test = await (await Client.PostAsync($"/api/v1/notification-channels/{channel.Id}/test", null)).Content.ReadFromJsonAsync<ChannelTestResult>();
        Assert.True(test!.Delivered);

        Assert.DoesNotContain(SlackSecret, await Client.GetStringAsync("/api/v1/audit?limit=100"));
        var dataDir = Host.DataDirectory;
        await Host.DisposeAsync(); // flush the log file and the database
        foreach (var file in Directory.EnumerateFiles(dataDir, "*", SearchOption.AllDirectories).Where(f => !f.Contains(Path.DirectorySeparatorChar + "keys" + Path.DirectorySeparatorChar)))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.False(System.Text.Encoding.UTF8.GetString(bytes).Contains(SlackSecret, StringComparison.Ordinal), $"{file} holds the secret in plain text");
        }
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(dataDir, "logs")));
        await RestartAsync(); // secrets survive a restart (keys persisted): the channel still lists it
        var again = await Client.GetFromJsonAsync<NotificationChannelDto>($"/api/v1/notification-channels/{channel.Id}");
        Assert.Equal(["webhookUrl"], again!.SecretsSet);
    }

    [Fact]
    public async Task Validation_NamesTheField()
    {
        var type = await ValidationErrorsAsync(new { name = "x", type = "carrier-pigeon" });
        var typeMessage = type.GetProperty("type")[0].GetString()!;
        Assert.Contains("email, pagerduty, slack, webhook", typeMessage);

        Assert.True((await ValidationErrorsAsync(new { name = "x", type = "webhook", settings = new { url = "/relative" } })).TryGetProperty("settings.url", out _));
        Assert.True((await ValidationErrorsAsync(new { name = "x", type = "webhook", settings = new { url = "ftp://example.test/" } })).TryGetProperty("settings.url", out _));
        Assert.True((await ValidationErrorsAsync(new { name = "x", type = "webhook" })).TryGetProperty("settings.url", out _));
        Assert.True((await ValidationErrorsAsync(new { name = "x", type = "slack" })).TryGetProperty("secrets.webhookUrl", out _));
        Assert.True((await ValidationErrorsAsync(new { name = "x", type = "pagerduty" })).TryGetProperty("secrets.routingKey", out _));
        var email = await ValidationErrorsAsync(new { name = "x", type = "email", settings = new { host = "smtp.example.test", port = "70000", from = "me@example.test", to = "ok@example.test, not an address" } });
        Assert.True(email.TryGetProperty("settings.port", out _));
        Assert.Contains("not an address", email.GetProperty("settings.to")[0].GetString());
        var template = await ValidationErrorsAsync(new { name = "x", type = "webhook", settings = new { url = Receiver.Url, template = "{\"t\":\"{{alert.ruleName}} {{env.HOME}} {{file:/etc/passwd}}\"}" } });
        var templateMessage = template.GetProperty("settings.template")[0].GetString()!;
        Assert.Contains("{{env.HOME}}", templateMessage);
        Assert.Contains("{{file:/etc/passwd}}", templateMessage);
        Assert.True((await ValidationErrorsAsync(new { name = "x", type = "webhook", settings = new { url = Receiver.Url }, severities = new[] { "urgent" } })).TryGetProperty("severities", out _));
        Assert.True((await ValidationErrorsAsync(new { name = "x", type = "webhook", settings = new { url = Receiver.Url }, secrets = new { password = "nope" } })).TryGetProperty("secrets.password", out _));

        Assert.Empty(await Client.GetFromJsonAsync<List<NotificationChannelDto>>("/api/v1/notification-channels") ?? []);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/v1/notification-channels/999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsync("/api/v1/notification-channels/999/test", null)).StatusCode);
    }

    [Fact]
    public async Task Template_SubstitutesAlertFields_JsonEscaped()
    {
        await CreateWebhookAsync(extraSettings: new Dictionary<string, string>
        {
            ["template"] = "{\"text\":\"{{alert.ruleName}} is {{alert.state}}: {{alert.message}}\",\"host\":\"{{alert.labels.host}}\",\"sev\":\"{{ alert.severity }}\",\"missing\":\"{{alert.labels.nope}}\"}",
        });
        await NotifyAsync(Alert(message: "quote \" backslash \\ newline \n end"));
        await WaitForOutboxAsync(r => r.Single().Status == OutboxStatus.Delivered, "delivery");
        var body = Json(Receiver.Requests.Single().Body);
        Assert.Equal("High CPU is firing: quote \" backslash \\ newline \n end", body.GetProperty("text").GetString());
        Assert.Equal("a", body.GetProperty("host").GetString());
        Assert.Equal("critical", body.GetProperty("sev").GetString());
        Assert.Equal("", body.GetProperty("missing").GetString());
    }

    [Fact]
    public async Task Routing_BySeverity_Labels_AndTheRulesChannels()
    {
        var critical = await CreateWebhookAsync("critical-only", severities: ["critical"]);
        var db = await CreateWebhookAsync("db-team", matchLabels: new() { ["team"] = "db" });
        var all = await CreateWebhookAsync("all");
        var disabled = await CreateChannelAsync(new { name = "off", type = "webhook", settings = new { url = Receiver.Url }, enabled = false });

        Assert.Equal(1, await NotifyAsync(Alert(1, severity: "warning", labels: new() { ["team"] = "web" })));
        Assert.Equal(2, await NotifyAsync(Alert(2, severity: "warning", labels: new() { ["team"] = "db" })));
        Assert.Equal(2, await NotifyAsync(Alert(3, severity: "critical", labels: new() { ["team"] = "web" })));
        // A rule naming channels gets only those (still subject to their routing; disabled ones never).
        Assert.Equal(1, await NotifyAsync(Alert(4, severity: "critical"), channelIds: [critical.Id, disabled.Id]));
        Assert.Equal(0, await NotifyAsync(Alert(5, severity: "info"), channelIds: [critical.Id]));

        var rows = await OutboxAsync();
        Assert.Equal([all.Id], rows.Where(r => r.AlertId == 1).Select(r => r.ChannelId));
        Assert.Equal([db.Id, all.Id], rows.Where(r => r.AlertId == 2).Select(r => r.ChannelId));
        Assert.Equal([critical.Id, all.Id], rows.Where(r => r.AlertId == 3).Select(r => r.ChannelId));
        Assert.Equal([critical.Id], rows.Where(r => r.AlertId == 4).Select(r => r.ChannelId));
        await WaitForOutboxAsync(r => r.All(o => o.Status == OutboxStatus.Delivered), "all delivered");
    }

    [Fact]
    public async Task TestEndpoint_ReportsTheReceiversAnswer()
    {
        var channel = await CreateWebhookAsync();
        var ok = await (await Client.PostAsync($"/api/v1/notification-channels/{channel.Id}/test", null)).Content.ReadFromJsonAsync<ChannelTestResult>();
        Assert.True(ok!.Delivered);
        Assert.Equal(200, ok.StatusCode);
        var request = Receiver.Requests.Single();
        Assert.StartsWith($"test:{channel.Id}:", request.IdempotencyKey);
        Assert.Equal("Test notification", Json(request.Body).GetProperty("alert").GetProperty("ruleName").GetString());

        Receiver.Script(503);
        var failed = await Client.PostAsync($"/api/v1/notification-channels/{channel.Id}/test", null);
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        var result = await failed.Content.ReadFromJsonAsync<ChannelTestResult>();
        Assert.False(result!.Delivered);
        Assert.Equal(503, result.StatusCode);
        Assert.Contains("503", result.Error);
    }

    [Fact]
    public async Task OperatorsRead_AdminsChange_ViewersNeither()
    {
        var channel = await CreateWebhookAsync();
        var viewer = await Host.SignedInClientAsync("vera", "Viewer");
        var op = await Host.SignedInClientAsync("otto", "Operator");
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/v1/notification-channels")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync("/api/v1/notification-channels")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsJsonAsync("/api/v1/notification-channels", new { name = "x", type = "webhook", settings = new { url = Receiver.Url } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.DeleteAsync($"/api/v1/notification-channels/{channel.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsync($"/api/v1/notification-channels/{channel.Id}/test", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.CreateAnonymousClient().GetAsync("/api/v1/notification-channels")).StatusCode);

        // The job dashboard: admins only.
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/hangfire")).StatusCode);
        var anonymous = await Host.CreateAnonymousClient().GetAsync("/hangfire");
        Assert.Contains(anonymous.StatusCode, new[] { HttpStatusCode.Redirect, HttpStatusCode.Unauthorized });

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/v1/notification-channels/{channel.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/v1/notification-channels/{channel.Id}")).StatusCode);
    }

    [Fact]
    public async Task Timeline_ShowsSentAndFailedNotificationsOfTheIncident()
    {
        await CreateWebhookAsync("first");
        await CreateWebhookAsync("second", path: "second");
        Receiver.Script(400); // whichever delivery comes first fails for good, the other succeeds
        await NotifyAsync(Alert(incidentId: 77, serviceId: null));
        await WaitForOutboxAsync(r => r.Count == 2 && r.All(o => o.Status is OutboxStatus.Delivered or OutboxStatus.Dead), "both settled");
        var source = Host.Services.GetServices<ITimelineSource>().OfType<NotificationTimelineSource>().Single();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var entries = await source.ReadAsync(new TimelineQuery(77, [], now - 3_600_000, now + 1000), CancellationToken.None);
        Assert.Equal(2, entries.Count);
        Assert.Single(entries, e => e.Type == "notification_sent");
        var failed = Assert.Single(entries, e => e.Type == "notification_failed");
        Assert.Contains("400", failed.Detail);
        Assert.Empty(await source.ReadAsync(new TimelineQuery(78, [], now - 3_600_000, now + 1000), CancellationToken.None));
    }
}
