namespace Monitoring.Web.Notifications;

/// <summary><c>Monitoring:Notifications</c>: delivery retries, the per-channel circuit breaker and the sweeper.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Monitoring:Notifications";

    /// <summary>First retry delay; attempt n waits base·2^(n-1), capped at <see cref="MaxRetryDelaySeconds"/>.</summary>
    public double RetryBaseSeconds { get; set; } = 5;
    public double MaxRetryDelaySeconds { get; set; } = 900;
    /// <summary>Attempts before a row is dead.</summary>
    public int MaxAttempts { get; set; } = 10;
    /// <summary>Timeout of one send.</summary>
    public double SendTimeoutSeconds { get; set; } = 15;
    /// <summary>How long a worker holds a row while sending (longer than the send timeout).</summary>
    public double LeaseSeconds { get; set; } = 60;
    /// <summary>How often the dispatcher looks for due rows even when nobody called Dispatch (lost jobs, retries).</summary>
    public double SweepIntervalSeconds { get; set; } = 10;
    /// <summary>A row enqueued longer ago than this and still not attempted is handed to a new job (its job was lost).</summary>
    public double LostJobSeconds { get; set; } = 120;
    /// <summary>Rows handed to jobs per dispatcher pass.</summary>
    public int DispatchBatch { get; set; } = 500;
    /// <summary>Base of <c>{{alert.url}}</c>, e.g. https://monitoring.example.com; empty gives a relative link.</summary>
    public string PublicBaseUrl { get; set; } = "";
    public BreakerOptions Breaker { get; set; } = new();

    public sealed class BreakerOptions
    {
        /// <summary>Share of failed sends in the sampling window that opens the breaker.</summary>
        public double FailureRatio { get; set; } = 0.5;
        /// <summary>Sends in the window before the ratio counts.</summary>
        public int MinimumThroughput { get; set; } = 3;
        public double SamplingDurationSeconds { get; set; } = 60;
        /// <summary>How long the breaker stays open before one probe is let through.</summary>
        public double BreakDurationSeconds { get; set; } = 30;
    }

    public TimeSpan RetryDelay(int attempts)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        return TimeSpan.FromSeconds(Math.Min(MaxRetryDelaySeconds, RetryBaseSeconds * Math.Pow(2, exponent)));
    }
}
