using System.Net;
using System.Text.Json;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Client.Notifications;
using Monitoring.Core.Notifications;

namespace Monitoring.Client.Tests.Notifications;

public sealed class ChannelsPageTests : MonitoringTestContext
{
    private const string Channels = "api/v1/notification-channels";
    private static readonly DateTimeOffset At = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private static NotificationChannelDto Slack(long id = 1, string breaker = "closed", bool enabled = true) =>
        new(id, "ops-slack", "slack", new Dictionary<string, string> { ["channel"] = "#ops" }, ["webhookUrl"], ["critical"],
            new Dictionary<string, string> { ["team"] = "db" }, enabled, breaker, At, At);

    private static NotificationChannelDto Hook(long id = 2) =>
        new(id, "ci-hook", "webhook", new Dictionary<string, string> { ["url"] = "https://hooks.example.test/x" }, [], [], new Dictionary<string, string>(), true, "open", At, At);

    public ChannelsPageTests()
    {
        Services.AddScoped<ChannelsApi>();
        Api.Json("GET", Channels, new[] { Slack(), Hook() });
    }

    [Fact]
    public void ListsChannels_WithRouting_SecretsByName_AndReceiverState()
    {
        var cut = RenderWithProviders<ChannelsPage>();

        cut.WaitForAssertion(() => Assert.Equal("ops-slack", cut.Find("#channel-name-1").TextContent));
        Assert.Equal("slack", cut.Find("#channel-type-1").TextContent);
        Assert.Equal("critical; team=db", cut.Find("#channel-routing-1").TextContent);
        Assert.Equal("webhookUrl set", cut.Find("#channel-secrets-1").TextContent);
        Assert.Equal("none set", cut.Find("#channel-secrets-2").TextContent);
        Assert.Contains("OK", cut.Find("#channel-breaker-1").TextContent);
        Assert.Contains("Failing", cut.Find("#channel-breaker-2").TextContent);
    }

    [Fact]
    public void EditingKeepsABlankSecret_AndShowsWhetherItIsSet()
    {
        Api.Json("PUT", $"{Channels}/1", Slack());
        var cut = RenderWithProviders<ChannelsPage>();
        cut.WaitForElement("#channel-edit-1").Click();

        var secret = cut.WaitForElement("#channel-secret-webhookUrl");
        Assert.Equal("password", secret.GetAttribute("type"));
        Assert.Equal("", secret.GetAttribute("value") ?? "");
        Assert.Contains("(set)", cut.Markup);
        cut.Find("#channel-save").Click();

        cut.WaitForAssertion(() => Assert.Single(Api.RequestsTo("PUT", $"{Channels}/1")));
        var body = JsonDocument.Parse(Api.RequestsTo("PUT", $"{Channels}/1").Single().Body!).RootElement;
        Assert.False(body.TryGetProperty("secrets", out _)); // blank = keep
        Assert.Equal("#ops", body.GetProperty("settings").GetProperty("channel").GetString());
        Assert.Equal("critical", body.GetProperty("severities")[0].GetString());
        Assert.Equal("db", body.GetProperty("matchLabels").GetProperty("team").GetString());
    }

    [Fact]
    public void CreatingShowsTheServersFieldErrorsBesideTheFields()
    {
        Api.Problem("POST", Channels, HttpStatusCode.BadRequest, "The request is not valid.",
            new() { ["settings.url"] = ["'x' is not an absolute http or https URL."], ["settings.template"] = ["Unknown placeholder(s): {{env.HOME}}."] });
        var cut = RenderWithProviders<ChannelsPage>();
        cut.WaitForElement("#channel-create").Click();
        cut.WaitForElement("#channel-name").Input("new hook");
        cut.Find("#channel-setting-url").Input("x");
        cut.Find("#channel-save").Click();

        cut.WaitForAssertion(() => Assert.Contains("is not an absolute http or https URL", cut.Markup));
        Assert.Contains("Unknown placeholder(s): {{env.HOME}}", cut.Markup);
        Assert.Empty(cut.FindAll("#channel-form-error")); // every error sits beside its field
        var sent = JsonDocument.Parse(Api.RequestsTo("POST", Channels).Single().Body!).RootElement;
        Assert.Equal("webhook", sent.GetProperty("type").GetString());
        Assert.Equal("x", sent.GetProperty("settings").GetProperty("url").GetString());
    }

    [Fact]
    public void SendTest_ShowsTheResult()
    {
        Api.Json("POST", $"{Channels}/2/test", new ChannelTestResult(false, 503, "The receiver answered 503 Service Unavailable.", 12));
        var cut = RenderWithProviders<ChannelsPage>();
        cut.WaitForElement("#channel-test-2").Click();

        cut.WaitForAssertion(() => Assert.Contains("failed", cut.Find("#channel-test-result").TextContent));
        Assert.Contains("HTTP 503", cut.Find("#channel-test-result").TextContent);
        Assert.Equal("The receiver answered 503 Service Unavailable.", cut.Find("#channel-test-error").TextContent);
    }

    [Fact]
    public void DeleteAsksFirst()
    {
        Api.NoContent("DELETE", $"{Channels}/2");
        var cut = RenderWithProviders<ChannelsPage>();
        cut.WaitForElement("#channel-delete-2").Click();

        cut.WaitForAssertion(() => Assert.Contains("Delete \"ci-hook\"?", cut.Markup));
        Assert.Empty(Api.RequestsTo("DELETE", $"{Channels}/2"));
    }

    [Fact]
    public void NonAdminsSeeTheAdminsOnlyNotice()
    {
        Api.Json("GET", AdminData.Me, AdminData.ViewerAccount());
        var cut = RenderWithProviders<ChannelsPage>();
        cut.WaitForElement("#admins-only");
        Assert.Empty(Api.RequestsTo("GET", Channels));
    }
}
