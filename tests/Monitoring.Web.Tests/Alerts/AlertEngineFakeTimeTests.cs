using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Monitoring.Core.Alerts;
using Monitoring.Core.Realtime;
using Monitoring.Web.Alerts;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Alerts;

/// <summary>
/// The engine in the real host on a fake clock: pending periods, repeat intervals and maintenance
/// windows are exact, because the test moves time and waits for the engine's tick to have run.
/// </summary>
public sealed class AlertEngineFakeTimeTests : HostTests
{
    // A Monday, 30 s into a nightly 22:00-23:00 UTC maintenance window.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-03-02T22:00:30Z"));
    private readonly RecordingOutbox _outbox = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(_time);
        RecordingOutbox.Register(services, _outbox);
    }

    private AlertEngine Engine => Host.Services.GetRequiredService<AlertEngine>();

    /// <summary>Moves the clock and waits until the engine has run a tick at the new time.</summary>
    private async Task AdvanceAsync(TimeSpan by)
    {
        var before = Engine.Ticks;
        _time.Advance(by);
        await Eventually.WaitAsync(() => Task.FromResult(Engine.Ticks), t => t > before, TimeSpan.FromSeconds(10), "an engine tick");
    }

    private List<string> KeysOf(long alertId) => _outbox.Keys.Where(k => k.StartsWith($"alert:{alertId}:", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task PendingPeriodAndRepeatIntervalAreExact_AndAcknowledgingStopsRepeats()
    {
        await Engine.Loaded;
        var rule = await Client.CreateRuleAsync(new { name = "Load", query = "load1 > 4", forSeconds = 60, repeatIntervalSeconds = 300, windowSeconds = 3600, aggregation = "last" });
        await Client.PostSampleAsync("load1", 9, new() { ["host"] = "a" });
        var pending = await Client.WaitForAlertAsync(a => a.GetProperty("ruleId").GetInt64() == rule.Id(), "a pending alert");
        Assert.Equal("pending", pending.Str("state"));

        await AdvanceAsync(TimeSpan.FromSeconds(59));
        Assert.Equal("pending", (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{pending.Id()}")).Str("state"));
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        var firing = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{pending.Id()}");
        Assert.Equal("firing", firing.Str("state"));
        Assert.Equal(TimeSpan.FromSeconds(60), firing.GetProperty("firedAt").GetDateTimeOffset() - firing.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal([$"alert:{pending.Id()}:firing"], KeysOf(pending.Id()));

        await AdvanceAsync(TimeSpan.FromSeconds(299));
        Assert.Equal([$"alert:{pending.Id()}:firing"], KeysOf(pending.Id()));
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal([$"alert:{pending.Id()}:firing", $"alert:{pending.Id()}:repeat:1"], KeysOf(pending.Id()));
        await AdvanceAsync(TimeSpan.FromSeconds(300));
        Assert.Contains($"alert:{pending.Id()}:repeat:2", KeysOf(pending.Id()));

        (await Client.PostAsync($"/api/v1/alerts/{pending.Id()}/acknowledge", null)).EnsureSuccessStatusCode();
        await AdvanceAsync(TimeSpan.FromSeconds(300));
        await AdvanceAsync(TimeSpan.FromSeconds(300));
        Assert.Equal(3, KeysOf(pending.Id()).Count);
    }

    [Fact]
    public async Task AnAlertFiringInsideAMaintenanceWindowIsNotifiedOnlyWhenTheWindowCloses()
    {
        await Engine.Loaded;
        (await Client.PostAsJsonAsync("/api/v1/silences", new
        {
            comment = "nightly backup",
            matchers = new[] { new { name = "host", op = "=", value = "db" } },
            schedule = new { cron = "0 22 * * *", durationMinutes = 60, timeZone = "UTC" },
        })).EnsureSuccessStatusCode();
        var rule = await Client.CreateRuleAsync(new { name = "IO wait", query = "iowait > 50", windowSeconds = 7200, aggregation = "max", repeatIntervalSeconds = 0 });
        await Client.PostSampleAsync("iowait", 80, new() { ["host"] = "db" });
        var alert = await Client.WaitForAlertAsync(a => a.GetProperty("ruleId").GetInt64() == rule.Id() && a.Str("state") == "firing", "the alert");
        Assert.True(alert.GetProperty("silenced").GetBoolean());
        Assert.Empty(KeysOf(alert.Id()));

        await AdvanceAsync(TimeSpan.FromMinutes(59)); // 22:59:30, still inside
        Assert.Empty(KeysOf(alert.Id()));
        await AdvanceAsync(TimeSpan.FromSeconds(30)); // 23:00:00, the window closed
        Assert.Equal([$"alert:{alert.Id()}:firing"], KeysOf(alert.Id()));
        Assert.False((await Client.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{alert.Id()}")).GetProperty("silenced").GetBoolean());
    }

    [Fact]
    public async Task TheHubSendsASnapshotAndThenCoalescedDeltasWithIncreasingSequence()
    {
        await Engine.Loaded;
        await using var hub = Host.ConnectHub();
        var deltas = Channel.CreateUnbounded<AlertDelta>();
        hub.On<AlertDelta>(MonitoringHubContract.AlertsChanged, d => deltas.Writer.TryWrite(d));
        await hub.StartAsync();
        var snapshot = await hub.InvokeAsync<AlertsSnapshot>(MonitoringHubContract.GetAlertsSnapshot);
        Assert.Empty(snapshot.Alerts);

        var rule = await Client.CreateRuleAsync(new { name = "Heat", query = "heat > 1", aggregation = "last" });
        await Client.PostSampleAsync("heat", 5, new() { ["rack"] = "r1" });
        await Client.WaitForAlertAsync(a => a.GetProperty("ruleId").GetInt64() == rule.Id() && a.Str("state") == "firing", "the alert");
        // The publisher's coalescing timer runs on the (fake) clock.
        AlertDelta? delta = null;
        await Eventually.WaitAsync(() =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            if (deltas.Reader.TryRead(out var d)) delta = d;
            return Task.FromResult(delta);
        }, d => d is not null, TimeSpan.FromSeconds(10), "an AlertsChanged message");
        Assert.Equal(snapshot.Sequence + 1, delta!.Sequence);
        Assert.Contains(delta.Changed, a => a.RuleId == rule.Id() && a.State == "firing");
        var again = await hub.InvokeAsync<AlertsSnapshot>(MonitoringHubContract.GetAlertsSnapshot);
        Assert.Contains(again.Alerts, a => a.RuleId == rule.Id());
        Assert.True(again.Sequence >= delta.Sequence);
    }
}
