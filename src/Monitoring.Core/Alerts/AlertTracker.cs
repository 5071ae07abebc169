namespace Monitoring.Core.Alerts;

/// <summary>What one evaluation did to an alert.</summary>
public enum AlertTransition
{
    None,
    /// <summary>The condition started to hold; the alert waits <c>forSeconds</c> before it fires.</summary>
    Pending,
    /// <summary>The condition held for the pending period (or at once when it is 0).</summary>
    Firing,
    /// <summary>A firing alert is due for another notification (<c>repeatIntervalSeconds</c> after the last).</summary>
    Repeat,
    /// <summary>The condition cleared while firing.</summary>
    Resolved,
    /// <summary>The condition cleared before the pending period was over: the alert never fired.</summary>
    Cleared,
}

/// <summary>
/// The life of one alert (one fingerprint): pending since the condition first held, firing after
/// <c>forSeconds</c>, resolved when the condition clears; while firing and not acknowledged a repeat is
/// due every <c>repeatIntervalSeconds</c> after the last notification. Pure: the caller supplies the time
/// and persists the fields. A tracker in <see cref="AlertState.Resolved"/> is finished.
/// </summary>
public sealed class AlertTracker
{
    public AlertState State { get; set; } = AlertState.Pending;
    public long StartedAtMs { get; set; }
    public long? FiredAtMs { get; set; }
    public long? ResolvedAtMs { get; set; }
    public long? AcknowledgedAtMs { get; set; }
    /// <summary>When a notification was last due (the firing notice or a repeat); repeats count from here.</summary>
    public long? LastNotifiedAtMs { get; set; }
    /// <summary>Repeats so far (the n of <c>alert:{id}:repeat:{n}</c>).</summary>
    public int RepeatCount { get; set; }

    public bool IsActive => State != AlertState.Resolved;
    public bool IsAcknowledged => AcknowledgedAtMs is not null;

    /// <summary>A new tracker for a condition that started to hold at <paramref name="nowMs"/>.</summary>
    public static AlertTracker Start(long nowMs) => new() { State = AlertState.Pending, StartedAtMs = nowMs };

    /// <summary>
    /// One evaluation at <paramref name="nowMs"/>. Returns at most one transition; a repeat never
    /// happens in the same step as firing. <paramref name="repeatMs"/> 0 means never repeat.
    /// </summary>
    public AlertTransition Step(bool conditionMet, long nowMs, long forMs, long repeatMs)
    {
        switch (State)
        {
            case AlertState.Pending when !conditionMet:
                State = AlertState.Resolved;
                ResolvedAtMs = nowMs;
                return AlertTransition.Cleared;
            case AlertState.Pending when nowMs - StartedAtMs >= forMs:
                State = AlertState.Firing;
                FiredAtMs = nowMs;
                LastNotifiedAtMs = nowMs;
                return AlertTransition.Firing;
            case AlertState.Firing when !conditionMet:
                State = AlertState.Resolved;
                ResolvedAtMs = nowMs;
                return AlertTransition.Resolved;
            case AlertState.Firing when RepeatDue(nowMs, repeatMs):
                RepeatCount++;
                LastNotifiedAtMs = nowMs;
                return AlertTransition.Repeat;
            default:
                return AlertTransition.None;
        }
    }

    /// <summary>Whether a repeat would be due at <paramref name="nowMs"/> (firing, not acknowledged, interval passed).</summary>
    public bool RepeatDue(long nowMs, long repeatMs) =>
        State == AlertState.Firing && AcknowledgedAtMs is null && repeatMs > 0 && LastNotifiedAtMs is { } last && nowMs - last >= repeatMs;

    /// <summary>Acknowledging stops repeats. False when the alert is already resolved (nothing changes).</summary>
    public bool Acknowledge(long nowMs)
    {
        if (State == AlertState.Resolved) return false;
        AcknowledgedAtMs ??= nowMs;
        return true;
    }

    /// <summary>Resolves by hand. False when already resolved.</summary>
    public bool Resolve(long nowMs)
    {
        if (State == AlertState.Resolved) return false;
        State = AlertState.Resolved;
        ResolvedAtMs = nowMs;
        return true;
    }

    /// <summary>When the next step could change something by time alone (pending period over, repeat due); null when nothing is scheduled.</summary>
    public long? NextDueAtMs(long forMs, long repeatMs) => State switch
    {
        AlertState.Pending => StartedAtMs + forMs,
        AlertState.Firing when AcknowledgedAtMs is null && repeatMs > 0 && LastNotifiedAtMs is { } last => last + repeatMs,
        _ => null,
    };
}
