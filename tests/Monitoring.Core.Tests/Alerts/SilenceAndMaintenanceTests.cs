using Microsoft.Extensions.Time.Testing;
using Monitoring.Core.Alerts;

namespace Monitoring.Core.Tests.Alerts;

public class SilenceAndMaintenanceTests
{
    private static readonly Dictionary<string, string> s_api = new() { ["alertname"] = "down", ["service"] = "api", ["severity"] = "critical" };

    private static SilenceRule Build(SilenceInput input, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var rule = SilenceRule.Validate(input, now, errors);
        Assert.True(rule is not null, string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}")));
        return rule;
    }

    [Fact]
    public void ATimeBoundedSilenceAppliesOnlyBetweenItsBoundsAndToMatchingLabels()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T12:00:00Z"));
        var silence = Build(new SilenceInput("deploy", [new("service", "=", "api"), new("severity", "=~", "crit.*")],
            time.GetUtcNow().AddMinutes(5), time.GetUtcNow().AddMinutes(65), null), time.GetUtcNow());
        Assert.True(silence.Matches(s_api));
        Assert.False(silence.Matches(new Dictionary<string, string>(s_api) { ["service"] = "web" }));
        Assert.False(silence.IsActive(time.GetUtcNow()));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(silence.IsActive(time.GetUtcNow()));
        time.Advance(TimeSpan.FromMinutes(60));
        Assert.False(silence.IsActive(time.GetUtcNow()));
        Assert.True(silence.IsExpired(time.GetUtcNow()));
    }

    [Fact]
    public void ValidationNamesEveryBadField()
    {
        var now = DateTimeOffset.Parse("2026-03-01T12:00:00Z");
        var errors = new Dictionary<string, string[]>();
        Assert.Null(SilenceRule.Validate(new SilenceInput(null, [new("", "=", "x"), new("a", "~", "x"), new("b", "=~", "(")], now, now.AddHours(-1), null), now, errors));
        Assert.Contains("matchers[0].name", errors.Keys);
        Assert.Contains("matchers[1].op", errors.Keys);
        Assert.Contains("matchers[2].value", errors.Keys);
        Assert.Equal("EndsAt must be after startsAt.", errors["endsAt"][0]);
        errors.Clear();
        Assert.Null(SilenceRule.Validate(new SilenceInput(null, [new("a", "=", "x")], null, null,
            new SilenceSchedule("61 * * * *", null, null, 0, "Mars/Olympus")), now, errors));
        Assert.Contains("schedule.cron", errors.Keys);
        Assert.Contains("schedule.durationMinutes", errors.Keys);
        Assert.Contains("schedule.timeZone", errors.Keys);
        errors.Clear();
        Assert.Null(SilenceRule.Validate(new SilenceInput(null, [new("a", "=", "x")], null, null, null), now, errors));
        Assert.Contains("endsAt", errors.Keys);
    }

    [Theory]
    [InlineData("*/15 * * * *", "2026-03-02T10:45:00", true)]
    [InlineData("*/15 * * * *", "2026-03-02T10:46:00", false)]
    [InlineData("0 2 * * mon-fri", "2026-03-02T02:00:00", true)] // a Monday
    [InlineData("0 2 * * mon-fri", "2026-03-01T02:00:00", false)] // a Sunday
    [InlineData("0 2 1 * sun", "2026-03-03T02:00:00", false)]
    [InlineData("0 2 3 * sun", "2026-03-03T02:00:00", true)] // either day field matches
    [InlineData("30 4 * jan,mar 7", "2026-03-01T04:30:00", true)]
    [InlineData("5/20 * * * *", "2026-03-01T04:45:00", true)]
    public void CronMatchesWallClockMinutes(string cron, string local, bool matches)
    {
        var parsed = CronSchedule.TryParse(cron, out var error);
        Assert.Null(error);
        Assert.Equal(matches, parsed!.Matches(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("* * * *")]
    [InlineData("60 * * * *")]
    [InlineData("* 24 * * *")]
    [InlineData("* * 0 * *")]
    [InlineData("* * * foo *")]
    [InlineData("*/0 * * * *")]
    [InlineData("5-1 * * * *")]
    public void BadCronIsRejected(string cron) => Assert.Null(CronSchedule.TryParse(cron, out _));

    [Fact]
    public void AWeeklyWindowFollowsLocalTimeAcrossTheDstChange()
    {
        // Every Sunday 01:00-03:00 Berlin time. On 29 March 2026 clocks jump from 02:00 to 03:00 (UTC+1 → UTC+2).
        var window = MaintenanceWindow.TryCreate(new SilenceSchedule(null, ["sun"], "01:00", 120, "Europe/Berlin"), new())!;
        // Winter Sunday: 01:00 local = 00:00 UTC; open until 02:00 UTC.
        Assert.False(window.Contains(DateTimeOffset.Parse("2026-03-22T23:59:00Z")));
        Assert.True(window.Contains(DateTimeOffset.Parse("2026-03-22T00:00:00Z")));
        Assert.True(window.Contains(DateTimeOffset.Parse("2026-03-22T01:59:00Z")));
        Assert.False(window.Contains(DateTimeOffset.Parse("2026-03-22T02:00:00Z")));
        // DST Sunday: 01:00 local is still 00:00 UTC; two real hours later it is 03:00 CEST.
        Assert.True(window.Contains(DateTimeOffset.Parse("2026-03-29T01:59:00Z")));
        Assert.False(window.Contains(DateTimeOffset.Parse("2026-03-29T02:00:00Z")));
        // Summer Sunday: 01:00 local = 23:00 UTC on Saturday.
        Assert.True(window.Contains(DateTimeOffset.Parse("2026-04-04T23:00:00Z")));
        Assert.False(window.Contains(DateTimeOffset.Parse("2026-04-04T22:59:00Z")));
        Assert.False(window.Contains(DateTimeOffset.Parse("2026-04-05T01:00:00Z")));
        // Monday is not in the schedule.
        Assert.False(window.Contains(DateTimeOffset.Parse("2026-04-06T00:00:00Z")));
    }

    [Fact]
    public void AStartTimeSkippedBySpringForwardOpensNoWindowThatDay()
    {
        var window = MaintenanceWindow.TryCreate(new SilenceSchedule("30 2 * * *", null, null, 30, "Europe/Berlin"), new())!;
        Assert.True(window.Contains(DateTimeOffset.Parse("2026-03-28T01:45:00Z"))); // 02:45 CET
        Assert.False(window.Contains(DateTimeOffset.Parse("2026-03-29T00:45:00Z"))); // 01:45 CET
        Assert.False(window.Contains(DateTimeOffset.Parse("2026-03-29T01:15:00Z"))); // 03:15 CEST: 02:30 never happened
        Assert.True(window.Contains(DateTimeOffset.Parse("2026-03-30T00:40:00Z"))); // 02:40 CEST
    }

    [Fact]
    public void AScheduledSilenceIsActiveOnlyInsideItsWindowsAndBounds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-02T08:00:00Z")); // Monday
        var silence = Build(new SilenceInput("nightly", [new("service", "=", "api")], null, null,
            new SilenceSchedule("0 22 * * *", null, null, 60, "UTC")), time.GetUtcNow());
        Assert.False(silence.IsActive(time.GetUtcNow()));
        time.Advance(TimeSpan.FromHours(14));
        Assert.True(silence.IsActive(time.GetUtcNow()));
        time.Advance(TimeSpan.FromMinutes(59));
        Assert.True(silence.IsActive(time.GetUtcNow()));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(silence.IsActive(time.GetUtcNow()));
        Assert.False(silence.IsExpired(time.GetUtcNow()));
    }
}
