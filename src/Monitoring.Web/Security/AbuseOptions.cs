using System.ComponentModel.DataAnnotations;

namespace Monitoring.Web.Security;

/// <summary>Rate limits, size limits and origins (<c>Monitoring:Abuse</c>).</summary>
/// <remarks>
/// Nested sections validate themselves through <see cref="IValidatableObject"/>, because the
/// options validator checks one level of data annotations per section.
/// </remarks>
public sealed class AbuseOptions : IValidatableObject
{
    /// <summary>
    /// Rate limiting on or off (all policies at once). Size limits, the hub origin check and the
    /// security headers always apply: they cost nothing and have no legitimate reason to be off.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Login attempts per client IP (policy <c>login</c>): 10 per 5 minutes.</summary>
    public FixedWindowLimit Login { get; set; } = new() { PermitLimit = 10, WindowSeconds = 300 };

    /// <summary>Everything under <c>/api/</c> per caller (API key, else user, else IP): 50/s, bursts of 200.</summary>
    public TokenBucketLimit Api { get; set; } = new() { PermitLimit = 200, TokensPerPeriod = 50, PeriodSeconds = 1 };

    /// <summary><c>POST /api/v1/metrics</c> and <c>POST /api/v1/events</c> per caller: 20/s, bursts of 100 (batches make each call count more).</summary>
    public TokenBucketLimit Ingest { get; set; } = new() { PermitLimit = 100, TokensPerPeriod = 20, PeriodSeconds = 1 };

    /// <summary>
    /// Ceiling per client IP over all <c>/api/</c> calls, whatever key they carry: the API key header is not
    /// verified when the limiter runs, so without it a client rotating made-up keys would get a fresh bucket
    /// per request. 200/s, bursts of 1000; raise it when many integrations share one NAT address.
    /// </summary>
    public TokenBucketLimit ApiPerIp { get; set; } = new() { PermitLimit = 1000, TokensPerPeriod = 200, PeriodSeconds = 1 };

    /// <summary>
    /// Heartbeat pushes (<c>/api/v1/heartbeat/{token}</c>) per client IP: 10/s, bursts of 60. Per IP rather
    /// than per token, because the token is the secret: a per-token bucket would not slow down guessing.
    /// </summary>
    public TokenBucketLimit Heartbeat { get; set; } = new() { PermitLimit = 60, TokensPerPeriod = 10, PeriodSeconds = 1 };

    /// <summary>Largest request body (bytes); larger ones get 413 before anything is read. Also Kestrel's limit.</summary>
    [Range(1024L, 64L * 1024 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 30L * 1024 * 1024;

    /// <summary>Largest SignalR message a client may send to the hub (bytes); larger ones close the connection.</summary>
    [Range(1024L, 16L * 1024 * 1024)]
    public long MaxHubMessageBytes { get; set; } = 32 * 1024;

    /// <summary>
    /// Origins (<c>scheme://host[:port]</c>) that browsers may open hub connections from, in addition
    /// to <see cref="PublicOrigin"/> and, when <see cref="AllowSameOrigin"/>, the request's own origin.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>
    /// The origin users reach the server at (e.g. <c>https://monitor.example.com</c>) when it sits behind a
    /// TLS-terminating proxy, where the request's own scheme/host differ from what the browser sees.
    /// </summary>
    public string? PublicOrigin { get; set; }

    /// <summary>Accept hub requests whose Origin equals the request's own scheme://host.</summary>
    public bool AllowSameOrigin { get; set; } = true;

    /// <summary>Send CSP, nosniff, referrer, frame and opener headers on every response.</summary>
    public bool SecurityHeaders { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, section) in new (string, object)[] { (nameof(Login), Login), (nameof(Api), Api), (nameof(Ingest), Ingest), (nameof(ApiPerIp), ApiPerIp), (nameof(Heartbeat), Heartbeat) })
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true);
            foreach (var r in results)
                yield return new ValidationResult(r.ErrorMessage, r.MemberNames.Select(m => $"{name}:{m}").ToArray());
        }
        for (var i = 0; i < AllowedOrigins.Count; i++)
        {
            if (!OriginCheck.TryNormalize(AllowedOrigins[i], out _))
                yield return new ValidationResult($"'{AllowedOrigins[i]}' is not an origin like https://host[:port].", [$"{nameof(AllowedOrigins)}:{i}"]);
        }
        if (!string.IsNullOrEmpty(PublicOrigin) && !OriginCheck.TryNormalize(PublicOrigin, out _))
            yield return new ValidationResult($"'{PublicOrigin}' is not an origin like https://host[:port].", [nameof(PublicOrigin)]);
    }
}

/// <summary>A fixed window: <see cref="PermitLimit"/> requests per <see cref="WindowSeconds"/>.</summary>
public sealed class FixedWindowLimit
{
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 10;

    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 300;

    public TimeSpan Window => TimeSpan.FromSeconds(WindowSeconds);
}

/// <summary>
/// A token bucket holding at most <see cref="PermitLimit"/> tokens (the burst), refilled with
/// <see cref="TokensPerPeriod"/> every <see cref="PeriodSeconds"/>; each request takes one.
/// </summary>
public sealed class TokenBucketLimit
{
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 200;

    [Range(1, 1_000_000)]
    public int TokensPerPeriod { get; set; } = 50;

    [Range(1, 86_400)]
    public int PeriodSeconds { get; set; } = 1;

    public TimeSpan Period => TimeSpan.FromSeconds(PeriodSeconds);
}
