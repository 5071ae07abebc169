using Microsoft.AspNetCore.SignalR.Client;

namespace Monitoring.Client.Live;

/// <summary>
/// Reconnects forever: 0 s, 1 s, 2 s, 4 s … up to <c>maxDelay</c>, with jitter so a wall of
/// screens that lost the server together does not come back in lock-step.
/// </summary>
public sealed class CappedRetryPolicy(TimeSpan maxDelay) : IRetryPolicy
{
    public TimeSpan? NextRetryDelay(RetryContext retryContext) => Delay(retryContext.PreviousRetryCount, maxDelay);

    public static TimeSpan Delay(long attempt, TimeSpan maxDelay)
    {
        if (attempt <= 0) return TimeSpan.Zero;
        var seconds = Math.Min(maxDelay.TotalSeconds, Math.Pow(2, Math.Min(attempt - 1, 16)));
        var jitter = 0.8 + Random.Shared.NextDouble() * 0.4;
        return TimeSpan.FromSeconds(Math.Min(maxDelay.TotalSeconds, seconds * jitter));
    }
}
