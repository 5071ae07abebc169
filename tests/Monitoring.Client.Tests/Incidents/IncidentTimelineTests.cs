using Monitoring.Client.Api;
using Monitoring.Client.Incidents;
using static Monitoring.Client.Tests.ApiData;

namespace Monitoring.Client.Tests.Incidents;

public sealed class IncidentTimelineTests
{
    private static CheckResultInfo C(int minute, string status, string? message = null) =>
        new(1, T0.AddMinutes(minute), null, status, 40, message, null, 1);

    private static IncidentInfo Incident(DateTimeOffset? recovered = null, DateTimeOffset? resolved = null, DateTimeOffset? acknowledged = null) =>
        new(5, 1, "api is down", null, "error", resolved is null ? "investigating" : "resolved", true, T0, acknowledged, recovered, resolved, 300, 2, "disk full", "ann");

    [Fact]
    public void FoldsRunsOfAlikeChecksAndPutsIncidentEventsInTimeOrder()
    {
        var checks = new[]
        {
            // Given newest first, as the API returns them.
            C(5, "healthy"), C(4, "healthy"), C(1, "unhealthy", "HTTP 503"), C(0, "unhealthy", "HTTP 503"), C(-2, "healthy"), C(-3, "healthy"), C(-4, "healthy"),
        };

        var entries = IncidentTimeline.Build(Incident(recovered: T0.AddMinutes(4), resolved: T0.AddMinutes(6), acknowledged: T0.AddMinutes(2)), checks);

        Assert.Equal(
        [
            TimelineEntryKind.ChecksPassed, TimelineEntryKind.ChecksFailed, TimelineEntryKind.IncidentStarted, TimelineEntryKind.Acknowledged,
            TimelineEntryKind.CheckRecovered, TimelineEntryKind.Recovered, TimelineEntryKind.Resolved,
        ], entries.Select(e => e.Kind));
        Assert.Equal("3 checks passed", entries[0].Title);
        Assert.Equal(T0.AddMinutes(-4), entries[0].At);
        Assert.Equal(T0.AddMinutes(-2), entries[0].Until);
        Assert.Equal("2 checks failed", entries[1].Title);
        Assert.Contains("HTTP 503", entries[1].Detail);
        Assert.Equal("Checks passing again (2)", entries[4].Title);
        Assert.Equal("Root cause: disk full", entries[6].Detail);
        Assert.Equal(entries.Select(e => e.At).Order(), entries.Select(e => e.At));
    }

    [Fact]
    public void FailuresWithADifferentMessageAreSeparateEntries()
    {
        var entries = IncidentTimeline.Build(Incident(), [C(0, "unhealthy", "HTTP 503"), C(1, "unhealthy", "timeout"), C(2, "degraded", "slow")]);

        Assert.Equal(
            [TimelineEntryKind.ChecksFailed, TimelineEntryKind.IncidentStarted, TimelineEntryKind.ChecksFailed, TimelineEntryKind.ChecksDegraded],
            entries.Select(e => e.Kind));
        Assert.Equal("Check failed", entries[2].Title);
        Assert.Contains("timeout", entries[2].Detail);
    }

    [Fact]
    public void AnIncidentWithoutChecksStillHasItsOwnEvents()
    {
        var entries = IncidentTimeline.Build(Incident(), []);

        Assert.Equal(TimelineEntryKind.IncidentStarted, Assert.Single(entries).Kind);
    }

    [Fact]
    public void TheRangeStartsAnHourBeforeAndEndsAtResolutionOrNow()
    {
        var now = T0.AddHours(3);

        Assert.Equal((T0.AddHours(-1), now), IncidentTimeline.Range(Incident(), now));
        Assert.Equal((T0.AddHours(-1), T0.AddMinutes(4)), IncidentTimeline.Range(Incident(recovered: T0.AddMinutes(4)), now));
        Assert.Equal((T0.AddHours(-1), T0.AddMinutes(9)), IncidentTimeline.Range(Incident(recovered: T0.AddMinutes(4), resolved: T0.AddMinutes(9)), now));
    }
}
