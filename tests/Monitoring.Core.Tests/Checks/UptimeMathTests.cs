using Microsoft.Extensions.Time.Testing;
using Monitoring.Core.Checks;

namespace Monitoring.Core.Tests.Checks;

public class UptimeMathTests
{
    private const long Second = 1000;

    [Fact]
    public void TimeWeighted_NotCountWeighted()
    {
        // Up for 90 s (one check), then down for 10 s (ten checks): 90 % by time, not 1/11.
        var results = new List<(long, bool)> { (0, true) };
        for (var i = 0; i < 10; i++) results.Add((90 * Second + i * Second, false));
        var span = UptimeMath.Accumulate(results, 0, 100 * Second, 100 * Second, maxSpanMs: 120 * Second);
        Assert.Equal(100 * Second, span.ObservedMs);
        Assert.Equal(90.0, span.Percent!.Value, 6);
    }

    [Fact]
    public void GapsLongerThanTheMaxSpanAreNotObserved()
    {
        // A check at 0 s, then silence (the server was off) until 1000 s.
        var span = UptimeMath.Accumulate([(0, true), (1000 * Second, false)], 0, 1010 * Second, 1010 * Second, maxSpanMs: 20 * Second);
        Assert.Equal(30 * Second, span.ObservedMs);
        Assert.Equal(20 * Second, span.UpMs);
    }

    [Fact]
    public void ResultsBeforeTheWindowCountOnlyForTheirPartInside()
    {
        var span = UptimeMath.Accumulate([(0, false), (10 * Second, true)], 5 * Second, 20 * Second, 20 * Second, maxSpanMs: 60 * Second);
        Assert.Equal(15 * Second, span.ObservedMs);
        Assert.Equal(10 * Second, span.UpMs);
    }

    [Fact]
    public void LastResultExtendsToNow_WithAFakeClock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var start = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var results = new List<(long, bool)> { (start, true) };
        clock.Advance(TimeSpan.FromSeconds(30));
        results.Add((clock.GetUtcNow().ToUnixTimeMilliseconds(), false));
        clock.Advance(TimeSpan.FromSeconds(10));
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var span = UptimeMath.Accumulate(results, start, now, now, maxSpanMs: 60 * Second);
        Assert.Equal(40 * Second, span.ObservedMs);
        Assert.Equal(75.0, span.Percent!.Value, 6);
    }

    [Fact]
    public void NinetyDaysAtTenSecondsIsAccurateToATenthOfAPercent()
    {
        // 90 days of 10 s checks with a 2 h outage on day 45: expected uptime 1 - 2/(90*24).
        const long interval = 10 * Second;
        var day = 24L * 3600 * Second;
        var results = new List<(long, bool)>();
        for (long t = 0; t < 90 * day; t += interval)
            results.Add((t, !(t >= 45 * day && t < 45 * day + 2 * 3600 * Second)));
        var span = UptimeMath.Accumulate(results, 0, 90 * day, 90 * day, 2 * interval);
        var expected = 100.0 * (1 - 2.0 / (90 * 24));
        Assert.InRange(span.Percent!.Value, expected - 0.001, expected + 0.001);
    }

    [Fact]
    public void NoResultsMeansNoFigure() => Assert.Null(UptimeMath.Accumulate([], 0, 10, 10, 10).Percent);

    [Theory]
    [InlineData("24h", 86_400_000L)]
    [InlineData("7d", 604_800_000L)]
    [InlineData("30d", 2_592_000_000L)]
    [InlineData("90d", 7_776_000_000L)]
    public void Periods(string period, long ms) => Assert.Equal(ms, UptimeMath.PeriodMs(period));

    [Fact]
    public void UnknownPeriodThrows() => Assert.Throws<ArgumentException>(() => UptimeMath.PeriodMs("1y"));
}
