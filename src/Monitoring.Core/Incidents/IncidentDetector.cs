using Monitoring.Core.Checks;

namespace Monitoring.Core.Incidents;

public enum IncidentTransition { None, Open, Close }

/// <summary>
/// Per-service state of the automatic incident detector: counts consecutive failures and
/// successes and says when an incident opens (<c>failureThreshold</c> consecutive failures)
/// or closes (<c>recoveryThreshold</c> consecutive successes). Pure and single-threaded:
/// the result writer owns one per service and applies transitions in the transaction
/// that persists the result.
/// </summary>
public sealed class IncidentDetectorState
{
    public long? OpenIncidentId { get; set; }
    public int ConsecutiveFailures { get; private set; }
    public int ConsecutiveSuccesses { get; private set; }
    /// <summary>Failed checks since the open incident started (including the ones that opened it).</summary>
    public int ChecksFailedInIncident { get; set; }
    /// <summary>Start time of the current run of failures (Unix ms): when an incident opens, it started here.</summary>
    public long FailureStreakStartedAtMs { get; private set; }
    /// <summary>Start time of the current run of successes (Unix ms): when an incident closes, it recovered here.</summary>
    public long SuccessStreakStartedAtMs { get; private set; }

    /// <summary>True after the open incident was resolved by hand: no new incident opens until a check passes.</summary>
    public bool WaitingForRecovery { get; private set; }

    /// <summary>The open incident was resolved by hand while the service may still fail.</summary>
    public void Detach()
    {
        OpenIncidentId = null;
        ChecksFailedInIncident = 0;
        WaitingForRecovery = ConsecutiveFailures > 0;
    }

    public IncidentDetectorState Clone() => (IncidentDetectorState)MemberwiseClone();

    public IncidentTransition Apply(CheckResult result, int failureThreshold, int recoveryThreshold)
    {
        if (result.IsUp)
        {
            WaitingForRecovery = false;
            ConsecutiveFailures = 0;
            if (ConsecutiveSuccesses++ == 0) SuccessStreakStartedAtMs = result.StartedAtMs;
            if (OpenIncidentId is not null && ConsecutiveSuccesses >= recoveryThreshold) return IncidentTransition.Close;
            return IncidentTransition.None;
        }

        ConsecutiveSuccesses = 0;
        if (ConsecutiveFailures++ == 0) FailureStreakStartedAtMs = result.StartedAtMs;
        if (OpenIncidentId is not null)
        {
            ChecksFailedInIncident++;
            return IncidentTransition.None;
        }
        if (ConsecutiveFailures >= failureThreshold && !WaitingForRecovery)
        {
            ChecksFailedInIncident = ConsecutiveFailures;
            return IncidentTransition.Open;
        }
        return IncidentTransition.None;
    }

    /// <summary>Rebuilds the counters from recent results, oldest first (used at start).</summary>
    public void Replay(IEnumerable<(long AtMs, bool Up)> oldestFirst)
    {
        foreach (var (at, up) in oldestFirst)
        {
            if (up)
            {
                ConsecutiveFailures = 0;
                if (ConsecutiveSuccesses++ == 0) SuccessStreakStartedAtMs = at;
            }
            else
            {
                ConsecutiveSuccesses = 0;
                if (ConsecutiveFailures++ == 0) FailureStreakStartedAtMs = at;
            }
        }
    }
}
