using Monitoring.Core.Alerts;

namespace Monitoring.Web.Notifications;

/// <summary>
/// A kind of receiver (webhook, slack, email, pagerduty, or your own). Register an implementation with
/// <c>services.AddSingleton&lt;INotificationChannel, MyChannel&gt;()</c>: channels of its
/// <see cref="Type"/> are then accepted by the API and delivered through the same outbox, retries and
/// circuit breaker as the built-in ones.
/// </summary>
public interface INotificationChannel
{
    /// <summary>The type name the API speaks (lower case, e.g. <c>webhook</c>).</summary>
    string Type { get; }

    /// <summary>The names of the secrets this type takes (write-only in the API, encrypted at rest).</summary>
    IReadOnlyList<string> SecretNames { get; }

    /// <summary>
    /// Adds an error per bad field to <paramref name="errors"/>, keyed <c>settings.x</c> or <c>secrets.x</c>.
    /// <paramref name="secrets"/> are the effective secrets (stored ones merged with the request's).
    /// Messages must never quote a secret's value.
    /// </summary>
    void Validate(IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> secrets, IDictionary<string, string[]> errors);

    /// <summary>
    /// Sends one message. <paramref name="idempotencyKey"/> is the same on every attempt of one delivery:
    /// pass it on to the receiver so a retry never makes it act twice. Exceptions count as retryable failures.
    /// </summary>
    Task<DeliveryResult> SendAsync(NotificationMessage message, ChannelConfig channel, string idempotencyKey, CancellationToken cancellationToken);
}

/// <summary>What is sent: the alert as it was at the moment of the event (stored in the outbox row).</summary>
public sealed record NotificationMessage(string EventKey, string Kind, AlertDto Alert, DateTimeOffset At, string? Url);

/// <summary>A channel as a sender sees it, secrets decrypted. Never log it.</summary>
public sealed record ChannelConfig(long Id, string Name, string Type, IReadOnlyDictionary<string, string> Settings, IReadOnlyDictionary<string, string> Secrets)
{
    public string? Setting(string name) => Settings.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;
    public string? Secret(string name) => Secrets.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : null;
    public override string ToString() => $"{Type} channel {Id} ({Name})"; // never the secrets
}

/// <summary>
/// The outcome of one attempt. <see cref="Retryable"/> false means trying again cannot help (a 4xx other
/// than 408/429, a missing setting): the row goes straight to dead.
/// </summary>
public sealed record DeliveryResult(bool Delivered, int? StatusCode, string? Error, bool Retryable = true)
{
    public static DeliveryResult Ok(int? statusCode = null) => new(true, statusCode, null);
    public static DeliveryResult Fail(string error, int? statusCode = null, bool retryable = true) => new(false, statusCode, error, retryable);

    /// <summary>An HTTP answer: 2xx delivered; 408, 429 and 5xx retryable; other codes are not.</summary>
    public static DeliveryResult FromHttp(int statusCode, string? reason) =>
        statusCode is >= 200 and < 300 ? Ok(statusCode)
        : Fail($"The receiver answered {statusCode}{(string.IsNullOrEmpty(reason) ? "" : " " + reason)}.", statusCode,
            retryable: statusCode is 408 or 429 or >= 500);
}
