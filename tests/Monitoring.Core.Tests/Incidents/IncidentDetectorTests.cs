using Monitoring.Core.Checks;
using Monitoring.Core.Incidents;
using Monitoring.Core.Services;

namespace Monitoring.Core.Tests.Incidents;

public class IncidentDetectorTests
{
    private static CheckResult Up(long at) => new(1, at, at, ServiceStatus.Healthy, 5, null);
    private static CheckResult Degraded(long at) => new(1, at, at, ServiceStatus.Degraded, 500, "slow");
    private static CheckResult Down(long at) => new(1, at, at, ServiceStatus.Unhealthy, 5, "refused");

    [Fact]
    public void OpensAfterFailureThresholdConsecutiveFailures_AndStartsAtTheFirstFailure()
    {
        var state = new IncidentDetectorState();
        Assert.Equal(IncidentTransition.None, state.Apply(Down(1000), 3, 1));
        Assert.Equal(IncidentTransition.None, state.Apply(Down(2000), 3, 1));
        Assert.Equal(IncidentTransition.Open, state.Apply(Down(3000), 3, 1));
        Assert.Equal(1000, state.FailureStreakStartedAtMs);
        Assert.Equal(3, state.ChecksFailedInIncident);
    }

    [Fact]
    public void ASuccessBetweenFailuresResetsTheCount()
    {
        var state = new IncidentDetectorState();
        state.Apply(Down(1000), 2, 1);
        state.Apply(Up(2000), 2, 1);
        Assert.Equal(IncidentTransition.None, state.Apply(Down(3000), 2, 1));
        Assert.Equal(IncidentTransition.Open, state.Apply(Down(4000), 2, 1));
        Assert.Equal(3000, state.FailureStreakStartedAtMs);
    }

    [Fact]
    public void NeverOpensASecondIncidentWhileOneIsOpen()
    {
        var state = new IncidentDetectorState();
        Assert.Equal(IncidentTransition.Open, state.Apply(Down(1000), 1, 1));
        state.OpenIncidentId = 7;
        for (var i = 2; i < 10; i++) Assert.Equal(IncidentTransition.None, state.Apply(Down(i * 1000), 1, 1));
        Assert.Equal(9, state.ChecksFailedInIncident);
    }

    [Fact]
    public void ClosesAfterRecoveryThresholdSuccesses_RecoveredAtTheFirstSuccess()
    {
        var state = new IncidentDetectorState();
        state.Apply(Down(1000), 1, 2);
        state.OpenIncidentId = 7;
        Assert.Equal(IncidentTransition.None, state.Apply(Up(2000), 1, 2));
        Assert.Equal(IncidentTransition.Close, state.Apply(Degraded(3000), 1, 2));
        Assert.Equal(2000, state.SuccessStreakStartedAtMs);
    }

    [Fact]
    public void AFailureDuringRecoveryRestartsTheRecoveryCount()
    {
        var state = new IncidentDetectorState();
        state.Apply(Down(1000), 1, 2);
        state.OpenIncidentId = 7;
        state.Apply(Up(2000), 1, 2);
        state.Apply(Down(3000), 1, 2);
        Assert.Equal(IncidentTransition.None, state.Apply(Up(4000), 1, 2));
        Assert.Equal(IncidentTransition.Close, state.Apply(Up(5000), 1, 2));
        Assert.Equal(4000, state.SuccessStreakStartedAtMs);
        Assert.Equal(2, state.ChecksFailedInIncident);
    }

    [Fact]
    public void SuccessesWithoutAnOpenIncidentDoNothing()
    {
        var state = new IncidentDetectorState();
        for (var i = 0; i < 5; i++) Assert.Equal(IncidentTransition.None, state.Apply(Up(i), 1, 1));
    }

    [Fact]
    public void ReplayRebuildsTheCounters()
    {
        var state = new IncidentDetectorState();
        state.Replay([(1000, true), (2000, false), (3000, false)]);
        Assert.Equal(2, state.ConsecutiveFailures);
        Assert.Equal(2000, state.FailureStreakStartedAtMs);
        // One more failure crosses a threshold of 3 exactly as if the process had never restarted.
        Assert.Equal(IncidentTransition.Open, state.Apply(Down(4000), 3, 1));
        Assert.Equal(2000, state.FailureStreakStartedAtMs);
    }

    [Fact]
    public void CloneIsIndependent()
    {
        var state = new IncidentDetectorState();
        state.Apply(Down(1000), 5, 1);
        var copy = state.Clone();
        state.Apply(Down(2000), 5, 1);
        Assert.Equal(1, copy.ConsecutiveFailures);
        Assert.Equal(2, state.ConsecutiveFailures);
    }

    [Fact]
    public void AnIncidentResolvedByHandWhileFailing_OpensNoNewOneUntilAPassingCheckThenAFreshStreak()
    {
        var state = new IncidentDetectorState();
        Assert.Equal(IncidentTransition.None, state.Apply(Down(1000), 2, 1));
        Assert.Equal(IncidentTransition.Open, state.Apply(Down(2000), 2, 1));
        state.OpenIncidentId = 7;

        state.Detach();

        Assert.Null(state.OpenIncidentId);
        Assert.True(state.WaitingForRecovery);
        Assert.Equal(IncidentTransition.None, state.Apply(Down(3000), 2, 1));
        Assert.Equal(IncidentTransition.None, state.Apply(Down(4000), 2, 1));
        Assert.Equal(IncidentTransition.None, state.Apply(Up(5000), 2, 1));
        Assert.False(state.WaitingForRecovery);
        Assert.Equal(IncidentTransition.None, state.Apply(Down(6000), 2, 1));
        Assert.Equal(IncidentTransition.Open, state.Apply(Down(7000), 2, 1));
        Assert.Equal(6000, state.FailureStreakStartedAtMs);
    }

    [Fact]
    public void DetachingWhileAlreadyPassingDoesNotWait()
    {
        var state = new IncidentDetectorState();
        state.Apply(Down(1000), 1, 3);
        state.OpenIncidentId = 7;
        state.Apply(Up(2000), 1, 3);

        state.Detach();

        Assert.False(state.WaitingForRecovery);
        Assert.Equal(IncidentTransition.Open, state.Apply(Down(3000), 1, 3));
    }
}
