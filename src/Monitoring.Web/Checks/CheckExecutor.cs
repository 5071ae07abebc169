using System.Diagnostics;
using Monitoring.Core.Checks;
using Monitoring.Core.Services;
using Monitoring.Web.Metrics;

namespace Monitoring.Web.Checks;

/// <summary>
/// Runs one check of one service: picks the checker for its type, applies the timeout, confirms
/// a failure with up to <c>retries</c> immediate retries, and turns a healthy-but-slow answer
/// into <see cref="ServiceStatus.Degraded"/>.
/// </summary>
public sealed class CheckExecutor
{
    public static readonly ActivitySource Source = new("Monitoring.Checks");
    private readonly Dictionary<ServiceType, IChecker> _checkers;
    private readonly AppMetrics _metrics;
    private readonly TimeProvider _time;

    public CheckExecutor(IEnumerable<IChecker> checkers, AppMetrics metrics, TimeProvider time)
    {
        _checkers = checkers.ToDictionary(c => c.Type);
        _metrics = metrics;
        _time = time;
    }

    public async Task<CheckResult> RunAsync(ServiceDefinition service, long dueAtMs, CancellationToken cancellationToken)
    {
        var startedAtMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        // A fresh trace per check: outbound calls carry its traceparent and X-Request-ID.
        using var activity = new Activity("monitoring.check");
        activity.SetIdFormat(ActivityIdFormat.W3C);
        activity.SetParentId(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        activity.Start();
        activity.SetTag("service.id", service.Id);

        CheckOutcome outcome;
        var attempts = 0;
        while (true)
        {
            attempts++;
            outcome = await AttemptAsync(service, cancellationToken);
            if (outcome.Status != ServiceStatus.Unhealthy || attempts > service.Retries) break;
            _metrics.RetryAttempted();
        }

        if (outcome.Status == ServiceStatus.Healthy && service.ThresholdMs is { } threshold && outcome.LatencyMs > threshold)
            outcome = outcome with { Status = ServiceStatus.Degraded, Message = $"Response took {outcome.LatencyMs:F0} ms, over the {threshold} ms threshold." };

        _metrics.CheckCompleted(outcome.Status);
        return new CheckResult(service.Id, dueAtMs, startedAtMs, outcome.Status, Math.Round(outcome.LatencyMs, 3), Truncate(outcome.Message), outcome.StatusCode, attempts);
    }

    private async Task<CheckOutcome> AttemptAsync(ServiceDefinition service, CancellationToken cancellationToken)
    {
        if (!_checkers.TryGetValue(service.Type, out var checker))
            return CheckOutcome.Down(0, $"No checker for type '{service.Type.ToApi()}' in this build.");
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(service.TimeoutMs);
        try
        {
            return await checker.CheckAsync(service, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CheckOutcome.Down(Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"Timed out after {service.TimeoutMs} ms.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return CheckOutcome.Down(Stopwatch.GetElapsedTime(started).TotalMilliseconds, ex.GetBaseException().Message);
        }
    }

    private static string? Truncate(string? message) => message is { Length: > 500 } ? message[..500] : message;
}
