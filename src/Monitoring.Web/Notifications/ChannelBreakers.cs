using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace Monitoring.Web.Notifications;

/// <summary>
/// One Polly circuit breaker per channel id, so a dead receiver stops being called (its rows wait for
/// the half-open probe) while other channels deliver as usual.
/// </summary>
public sealed class ChannelBreakers(IOptions<NotificationOptions> options, TimeProvider time)
{
    private const int Capacity = 10_000;
    private readonly ConcurrentDictionary<long, Breaker> _breakers = new();

    private sealed class Breaker
    {
        public required ResiliencePipeline<DeliveryResult> Pipeline { get; init; }
        public required CircuitBreakerStateProvider State { get; init; }
        public long HalfOpenAtMs;
    }

    private Breaker For(long channelId)
    {
        if (_breakers.TryGetValue(channelId, out var existing)) return existing;
        if (_breakers.Count >= Capacity) _breakers.Clear(); // bounded: losing breaker state is harmless, it re-learns
        return _breakers.GetOrAdd(channelId, _ => Create());
    }

    private Breaker Create()
    {
        var o = options.Value.Breaker;
        var state = new CircuitBreakerStateProvider();
        Breaker? breaker = null;
        var pipeline = new ResiliencePipelineBuilder<DeliveryResult> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<DeliveryResult>
            {
                FailureRatio = o.FailureRatio,
                MinimumThroughput = Math.Max(2, o.MinimumThroughput),
                SamplingDuration = TimeSpan.FromSeconds(Math.Max(0.5, o.SamplingDurationSeconds)),
                BreakDuration = TimeSpan.FromSeconds(Math.Max(0.5, o.BreakDurationSeconds)),
                StateProvider = state,
                // Only failures a retry could fix say the receiver is down; a 400 is our problem, not its health.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null and not OperationCanceledException
                    || args.Outcome.Result is { Delivered: false, Retryable: true }),
                OnOpened = args =>
                {
                    breaker!.HalfOpenAtMs = time.GetUtcNow().Add(args.BreakDuration).ToUnixTimeMilliseconds();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        breaker = new Breaker { Pipeline = pipeline, State = state };
        return breaker;
    }

    /// <summary>
    /// Sends through the channel's breaker. Null when the breaker is open (nothing was sent);
    /// <paramref name="retryAtMs"/> then says when a probe will be let through.
    /// </summary>
    public async Task<DeliveryResult?> ExecuteAsync(long channelId, Func<CancellationToken, Task<DeliveryResult>> send, CancellationToken cancellationToken, Action<long> retryAt)
    {
        var breaker = For(channelId);
        try
        {
            return await breaker.Pipeline.ExecuteAsync(async ct => await send(ct), cancellationToken);
        }
        catch (BrokenCircuitException ex)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var at = ex.RetryAfter is { } after ? now + (long)after.TotalMilliseconds : Math.Max(Interlocked.Read(ref breaker.HalfOpenAtMs), now + 250);
            retryAt(Math.Max(at, now + 50));
            return null;
        }
    }

    /// <summary>closed | open | half-open (isolated counts as open).</summary>
    public string State(long channelId) =>
        _breakers.TryGetValue(channelId, out var b) ? b.State.CircuitState switch
        {
            CircuitState.Open or CircuitState.Isolated => "open",
            CircuitState.HalfOpen => "half-open",
            _ => "closed",
        } : "closed";

    public int OpenCount => _breakers.Values.Count(b => b.State.CircuitState is CircuitState.Open or CircuitState.Isolated);

    /// <summary>Forgets a deleted or re-configured channel's breaker.</summary>
    public void Reset(long channelId) => _breakers.TryRemove(channelId, out _);
}
