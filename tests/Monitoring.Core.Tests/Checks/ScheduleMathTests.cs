using Monitoring.Core.Checks;

namespace Monitoring.Core.Tests.Checks;

public class ScheduleMathTests
{
    [Fact]
    public void Phase_IsStableAndInsideInterval()
    {
        for (long id = 1; id < 2000; id++)
        {
            var p = ScheduleMath.Phase(id, 10_000);
            Assert.InRange(p, 0, 9_999);
            Assert.Equal(p, ScheduleMath.Phase(id, 10_000));
        }
    }

    [Fact]
    public void Phase_SpreadsServicesEvenlyAcrossTheInterval()
    {
        // 10,000 services over ten 1-second slices of a 10 s interval: each slice gets about 1,000.
        var counts = new int[10];
        for (long id = 1; id <= 10_000; id++) counts[ScheduleMath.Phase(id, 10_000) / 1000]++;
        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
    }

    [Theory]
    [InlineData(0, 300, 1000, 300)]
    [InlineData(299, 300, 1000, 300)]
    [InlineData(300, 300, 1000, 1300)]
    [InlineData(1299, 300, 1000, 1300)]
    [InlineData(-5, 300, 1000, 300)]
    [InlineData(-800, 300, 1000, -700)]
    public void NextDueAfter_IsTheFirstSlotStrictlyLater(long after, long phase, long interval, long expected) =>
        Assert.Equal(expected, ScheduleMath.NextDueAfter(after, phase, interval));

    [Fact]
    public void NextDueAfter_DoesNotAccumulateLateness()
    {
        // Even when every check starts late, slot k stays phase + k * interval.
        const long interval = 10_000, phase = 1234;
        var due = ScheduleMath.NextDueAtOrAfter(1_700_000_000_000, phase, interval);
        var first = due;
        for (var k = 1; k <= 1000; k++)
        {
            var startedLate = due + 750; // lateness does not feed back into the next slot
            Assert.True(startedLate > due);
            due = ScheduleMath.NextDueAfter(due, phase, interval);
            Assert.Equal(first + k * interval, due);
            Assert.Equal(phase, due % interval);
        }
    }

    [Fact]
    public void NextDueAtOrAfter_ReturnsTheSlotItselfWhenOnIt() =>
        Assert.Equal(1300, ScheduleMath.NextDueAtOrAfter(1300, 300, 1000));
}
