using System.Diagnostics;
using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitoring.Web.Data;

namespace Monitoring.Web.Notifications;

/// <summary>
/// The Hangfire job that delivers one outbox row. Idempotent: a delivered or dead row is skipped, and a
/// short lease keeps two workers from sending the same row at once. Retries are scheduled by writing
/// <c>NextAttemptAtMs</c> (the dispatcher enqueues again when due), not by Hangfire, so the outbox row
/// stays the only record of what is left to do.
/// </summary>
public sealed class NotificationDelivery(
    IDbContextFactory<MonitoringDbContext> dbFactory,
    ChannelTypes types,
    ChannelSecrets secrets,
    ChannelBreakers breakers,
    OutboxDispatcher dispatcher,
    NotificationMetrics metrics,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<NotificationDelivery> logger)
{
    [AutomaticRetry(Attempts = 0)] // retries are ours (back-off, breaker, dead after MaxAttempts)
    [JobDisplayName("Deliver notification {0}")]
    public async Task DeliverAsync(long outboxId, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var claimed = await db.NotificationOutbox
            .Where(r => r.Id == outboxId && (r.Status == OutboxStatus.Pending || r.Status == OutboxStatus.Failed)
                && r.NextAttemptAtMs <= now && (r.LeaseUntilMs == null || r.LeaseUntilMs < now))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseUntilMs, now + (long)(o.LeaseSeconds * 1000)), cancellationToken);
        if (claimed == 0) return; // delivered, dead, not due yet, or another worker has it

        var row = await db.NotificationOutbox.SingleAsync(r => r.Id == outboxId, cancellationToken);
        var channel = await db.NotificationChannels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == row.ChannelId, cancellationToken);
        var sender = channel is null ? null : types.Find(channel.Type);
        if (channel is null || sender is null || !channel.Enabled)
        {
            var why = channel is null ? "The channel no longer exists." : sender is null ? $"No sender for channel type '{channel.Type}'." : "The channel was disabled.";
            await FinishAsync(db, row, DeliveryResult.Fail(why, retryable: false), channel?.Name, [], 0, cancellationToken);
            return;
        }

        Dictionary<string, string> channelSecrets;
        try { channelSecrets = secrets.Unprotect(channel.SecretsProtected); }
        catch (System.Security.Cryptography.CryptographicException)
        {
            await FinishAsync(db, row, DeliveryResult.Fail("The channel's secrets cannot be decrypted (data-protection keys lost?); set them again.", retryable: false), channel.Name, [], 0, cancellationToken);
            return;
        }
        var config = new ChannelConfig(channel.Id, channel.Name, channel.Type,
            JsonSerializer.Deserialize<Dictionary<string, string>>(channel.SettingsJson) ?? [], channelSecrets);
        var message = JsonSerializer.Deserialize<NotificationMessage>(row.PayloadJson, NotificationOutbox.Json)!;

        long? retryAtMs = null;
        var watch = Stopwatch.StartNew();
        DeliveryResult? result;
        try
        {
            result = await breakers.ExecuteAsync(channel.Id,
                ct => SendAsync(sender, message, config, row.IdempotencyKey, ct),
                cancellationToken, at => retryAtMs = at);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down mid-send: the receiver may or may not have acted. Leave the row undelivered for the
            // next start; the same idempotency key goes with the next attempt.
            await ReleaseAsync(outboxId);
            throw;
        }
        var seconds = watch.Elapsed.TotalSeconds;

        if (result is null)
        {
            metrics.Deferred();
            row.NextAttemptAtMs = retryAtMs ?? now + 1000;
            row.EnqueuedAtMs = null;
            row.LeaseUntilMs = null;
            row.LastError = "The channel's circuit breaker is open; waiting for the receiver to recover.";
            row.UpdatedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds();
            await db.SaveChangesAsync(CancellationToken.None);
            dispatcher.Wake();
            return;
        }
        await FinishAsync(db, row, result, channel.Name, channelSecrets.Values, seconds, CancellationToken.None);
    }

    private async Task<DeliveryResult> SendAsync(INotificationChannel sender, NotificationMessage message, ChannelConfig config, string key, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.SendTimeoutSeconds));
        try
        {
            return await sender.SendAsync(message, config, key, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryResult.Fail($"No answer within {options.Value.SendTimeoutSeconds:0.#} s.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return DeliveryResult.Fail($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task FinishAsync(MonitoringDbContext db, NotificationOutboxEntity row, DeliveryResult result, string? channelName,
        IEnumerable<string> secretValues, double seconds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        row.Attempts++;
        row.LeaseUntilMs = null;
        row.EnqueuedAtMs = null;
        row.LastStatusCode = result.StatusCode;
        row.UpdatedAtMs = now;
        if (result.Delivered)
        {
            row.Status = OutboxStatus.Delivered;
            row.DeliveredAtMs = now;
            row.LastError = null;
            metrics.Delivered(seconds);
        }
        else
        {
            row.LastError = Redact(result.Error ?? "Delivery failed.", secretValues);
            metrics.Failed(seconds);
            if (!result.Retryable || row.Attempts >= options.Value.MaxAttempts)
            {
                row.Status = OutboxStatus.Dead;
                metrics.Dead();
                logger.LogWarning("Notification {OutboxId} to channel {ChannelId} ({ChannelName}) given up after {Attempts} attempt(s): {Error}",
                    row.Id, row.ChannelId, channelName, row.Attempts, row.LastError);
            }
            else
            {
                row.Status = OutboxStatus.Failed;
                row.NextAttemptAtMs = now + (long)options.Value.RetryDelay(row.Attempts).TotalMilliseconds;
                logger.LogInformation("Notification {OutboxId} to channel {ChannelId} ({ChannelName}) failed (attempt {Attempts}), retrying at {NextAttempt:o}: {Error}",
                    row.Id, row.ChannelId, channelName, row.Attempts, DateTimeOffset.FromUnixTimeMilliseconds(row.NextAttemptAtMs), row.LastError);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        if (!result.Delivered) dispatcher.Wake();
    }

    private async Task ReleaseAsync(long outboxId)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            await db.NotificationOutbox.Where(r => r.Id == outboxId)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseUntilMs, (long?)null).SetProperty(r => r.EnqueuedAtMs, (long?)null));
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Could not release notification {OutboxId} while stopping; the next start resets it", outboxId);
        }
    }

    /// <summary>Error texts are stored and shown: no secret value may appear in them.</summary>
    internal static string Redact(string error, IEnumerable<string> secretValues)
    {
        foreach (var secret in secretValues)
            if (secret.Length >= 4) error = error.Replace(secret, "***", StringComparison.Ordinal);
        return error.Length > 1000 ? error[..1000] : error;
    }
}
