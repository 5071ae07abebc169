using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Monitoring.Client.Live;
using Monitoring.Client.Wall;
using static Monitoring.Client.Tests.ApiData;
using static Monitoring.Client.Tests.ServiceData;

namespace Monitoring.Client.Tests.Wall;

public sealed class WallPageTests : MonitoringTestContext
{
    private readonly FakeTimeProvider _time = new(CheckedAt.AddSeconds(10));

    public WallPageTests()
    {
        Services.AddSingleton<TimeProvider>(_time);
        Http.Json("GET api/v1/incidents/active", List(Incident(9, "payments is down")));
        Feed.Snapshot = Snapshot(1, Service(1, "a-ok"), Service(2, "b-down", "unhealthy"), Service(3, "c-slow", "degraded"), Service(4, "d-paused", "paused"));
    }

    private IRenderedComponent<WallPage> RenderWall(string query = "")
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("wall" + query);
        return Render<WallPage>();
    }

    [Fact]
    public void ShowsEveryServiceWorstFirstWithTextIconAndCounts()
    {
        var cut = RenderWall();

        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("#wall-view .wall-tile").Count));
        Assert.Equal(["wall-tile-2", "wall-tile-3", "wall-tile-4", "wall-tile-1"], cut.FindAll("#wall-view .wall-tile").Select(t => t.Id));
        Assert.Contains("Unhealthy", cut.Find("#wall-tile-2").TextContent);
        Assert.NotNull(cut.Find("#wall-tile-2 svg"));
        Assert.Equal("1", cut.Find("#wall-count-unhealthy").GetAttribute("data-count"));
        Assert.Equal("1", cut.Find("#wall-count-healthy").GetAttribute("data-count"));
        Assert.Equal("overview", cut.Find("#wall").GetAttribute("data-view"));
        cut.WaitForAssertion(() => Assert.Contains("payments is down", cut.Find("#wall-incident-9").TextContent));
    }

    [Fact]
    public async Task AStatusChangeArrivesLive()
    {
        var cut = RenderWall();
        cut.WaitForAssertion(() => Assert.Equal("healthy", cut.Find("#wall-tile-1").GetAttribute("data-status")));

        await Feed.PushAsync(Delta(2, Service(1, "a-ok", "unhealthy")));
        _time.Advance(TimeSpan.FromSeconds(1));

        cut.WaitForAssertion(() => Assert.Equal("unhealthy", cut.Find("#wall-tile-1").GetAttribute("data-status")));
        Assert.Equal("2", cut.Find("#wall-count-unhealthy").GetAttribute("data-count"));
    }

    [Fact]
    public void RotatesBetweenTheOverviewAndTheProblems()
    {
        var cut = RenderWall("?rotate=10");
        cut.WaitForAssertion(() => Assert.Equal("overview", cut.Find("#wall").GetAttribute("data-view")));

        _time.Advance(TimeSpan.FromSeconds(10));
        cut.WaitForAssertion(() => Assert.Equal("problems", cut.Find("#wall").GetAttribute("data-view")));
        // Only what is wrong, worst first, with its message.
        Assert.Equal(["wall-problem-2", "wall-problem-3"], cut.FindAll("#wall-view .wall-tile").Select(t => t.Id));

        _time.Advance(TimeSpan.FromSeconds(10));
        cut.WaitForAssertion(() => Assert.Equal("overview", cut.Find("#wall").GetAttribute("data-view")));
    }

    [Fact]
    public void StaysOnTheOverviewWhenNothingIsWrong()
    {
        Feed.Snapshot = Snapshot(1, Service(1, "a-ok"));
        var cut = RenderWall("?rotate=5");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("#wall-view .wall-tile")));

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal("overview", cut.Find("#wall").GetAttribute("data-view"));
    }

    [Fact]
    public void RotateZeroNeverRotates()
    {
        var cut = RenderWall("?rotate=0");
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("#wall-view .wall-tile").Count));

        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal("overview", cut.Find("#wall").GetAttribute("data-view"));
    }

    [Fact]
    public async Task ShowsStaleWhileTheConnectionIsDownAndRecoversByItself()
    {
        var cut = RenderWall();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("#wall-view .wall-tile").Count));
        Assert.Empty(cut.FindAll("#stale-banner"));

        await Feed.SetConnectionAsync(LiveConnectionState.Reconnecting);
        _time.Advance(TimeSpan.FromSeconds(42));

        cut.WaitForAssertion(() => Assert.Contains("STALE", cut.Find("#stale-banner").TextContent));
        cut.WaitForAssertion(() => Assert.Equal("42 s ago", cut.Find("#stale-age").TextContent));
        // The data stays on screen under the banner.
        Assert.Equal(4, cut.FindAll("#wall-view .wall-tile").Count);

        await Feed.SetConnectionAsync(LiveConnectionState.Live);
        _time.Advance(TimeSpan.FromSeconds(1));

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#stale-banner")));
    }

    [Fact]
    public void ManyServicesAreCappedAndSummarised()
    {
        Feed.Snapshot = Snapshot(1, Enumerable.Range(1, WallPage.MaxTiles + 25).Select(i => Service(i, $"svc-{i:D4}")).ToArray());

        var cut = RenderWall();

        cut.WaitForAssertion(() => Assert.Equal(WallPage.MaxTiles, cut.FindAll("#wall-view .wall-tile[data-status]").Count));
        Assert.Contains("+ 25 more", cut.Find("#wall-more").TextContent);
    }
}
