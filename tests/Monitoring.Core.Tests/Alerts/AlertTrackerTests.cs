using Microsoft.Extensions.Time.Testing;
using Monitoring.Core.Alerts;

namespace Monitoring.Core.Tests.Alerts;

/// <summary>The per-fingerprint state machine, driven by a fake clock.</summary>
public class AlertTrackerTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-03-01T12:00:00Z"));
    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    [Fact]
    public void FiresOnlyAfterTheConditionHeldForThePendingPeriod()
    {
        var t = AlertTracker.Start(Now);
        Assert.Equal(AlertState.Pending, t.State);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(AlertTransition.None, t.Step(true, Now, 30_000, 0));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(AlertTransition.Firing, t.Step(true, Now, 30_000, 0));
        Assert.Equal(Now, t.FiredAtMs);
        Assert.Equal(AlertState.Firing, t.State);
    }

    [Fact]
    public void AZeroPendingPeriodFiresAtTheFirstStep()
    {
        var t = AlertTracker.Start(Now);
        Assert.Equal(AlertTransition.Firing, t.Step(true, Now, 0, 0));
    }

    [Fact]
    public void ClearingWhilePendingNeverFires()
    {
        var t = AlertTracker.Start(Now);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(AlertTransition.Cleared, t.Step(false, Now, 30_000, 0));
        Assert.Null(t.FiredAtMs);
        Assert.Equal(AlertState.Resolved, t.State);
    }

    [Fact]
    public void ResolvesWhenTheConditionClearsWhileFiring()
    {
        var t = AlertTracker.Start(Now);
        t.Step(true, Now, 0, 0);
        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(AlertTransition.Resolved, t.Step(false, Now, 0, 0));
        Assert.Equal(Now, t.ResolvedAtMs);
        Assert.Equal(AlertTransition.None, t.Step(true, Now, 0, 0)); // finished: a new tracker takes over
    }

    [Fact]
    public void RepeatsEveryIntervalUntilAcknowledged()
    {
        var t = AlertTracker.Start(Now);
        t.Step(true, Now, 0, 60_000);
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(AlertTransition.None, t.Step(true, Now, 0, 60_000));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(AlertTransition.Repeat, t.Step(true, Now, 0, 60_000));
        Assert.Equal(1, t.RepeatCount);
        Assert.Equal(Now + 60_000, t.NextDueAtMs(0, 60_000));
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(AlertTransition.Repeat, t.Step(true, Now, 0, 60_000));
        Assert.Equal(2, t.RepeatCount);

        Assert.True(t.Acknowledge(Now));
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(AlertTransition.None, t.Step(true, Now, 0, 60_000));
        Assert.Null(t.NextDueAtMs(0, 60_000));
        Assert.Equal(AlertTransition.Resolved, t.Step(false, Now, 0, 60_000)); // acknowledged alerts still resolve
    }

    [Fact]
    public void ARepeatIntervalOfZeroNeverRepeats()
    {
        var t = AlertTracker.Start(Now);
        t.Step(true, Now, 0, 0);
        _time.Advance(TimeSpan.FromDays(3));
        Assert.Equal(AlertTransition.None, t.Step(true, Now, 0, 0));
    }

    [Fact]
    public void AResolvedAlertCannotBeAcknowledgedOrResolvedAgain()
    {
        var t = AlertTracker.Start(Now);
        t.Step(true, Now, 0, 0);
        Assert.True(t.Resolve(Now));
        Assert.False(t.Resolve(Now));
        Assert.False(t.Acknowledge(Now));
        Assert.Null(t.AcknowledgedAtMs);
    }
}
