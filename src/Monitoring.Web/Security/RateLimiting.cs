using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Monitoring.Web.Security;

/// <summary>Names of the rate-limit policies, for <c>.RequireRateLimiting(RateLimitPolicies.Login)</c>.</summary>
/// <remarks>
/// Everything under <c>/api/</c> is already limited by the global limiter, chosen by path (see
/// <see cref="RateLimitPartitions.Global"/>), so only <see cref="Login"/> needs attaching. An endpoint
/// that names a policy itself is left out of the global limiter (it is not counted twice): login
/// attempts count against the login budget only, and attaching <see cref="Ingest"/> to the ingest
/// routes later keeps the same limits (in buckets of that policy instead of the global ones).
/// </remarks>
public static class RateLimitPolicies
{
    /// <summary>Per client IP, fixed window (<c>Monitoring:Abuse:Login</c>).</summary>
    public const string Login = "login";

    /// <summary>Per caller, token bucket (<c>Monitoring:Abuse:Api</c>).</summary>
    public const string Api = "api";

    /// <summary>Per caller, token bucket (<c>Monitoring:Abuse:Ingest</c>).</summary>
    public const string Ingest = "ingest";

    /// <summary>Per client IP, token bucket (<c>Monitoring:Abuse:Heartbeat</c>).</summary>
    public const string Heartbeat = "heartbeat";
}

/// <summary>
/// Chooses the partition (policy + caller) of a request. Partition keys are short strings:
/// the policy name, then <c>k:</c> and a hash of the API key, <c>u:</c> and the user name, or
/// <c>ip:</c> and the client address.
/// </summary>
/// <remarks>
/// Partitions are bounded in time, not count: <see cref="PartitionedRateLimiter.Create{TResource,TKey}"/>
/// checks every partition each 100 ms and removes one that has been idle (bucket full again, window
/// reset) for more than 10 s. A caller that made one call is forgotten about one period plus 10 s
/// later (a login partition after its window plus 10 s), so memory grows with the number of distinct
/// callers per ~11 s, not with history. The same timer refills the token buckets.
/// </remarks>
internal sealed class RateLimitPartitions(AbuseOptions options)
{
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>Longest API key that gets a partition of its own; longer values are nonsense, so the IP counts.</summary>
    private const int MaxApiKeyLength = 512;

    private static readonly object s_retryAfterKey = new();
    private static readonly RateLimitPartition<string> s_none = RateLimitPartition.GetNoLimiter("none");

    /// <summary>The global limiter, first link: the per-caller budget chosen by path.</summary>
    public RateLimitPartition<string> Global(HttpContext context)
    {
        if (!options.Enabled || NamesItsOwnPolicy(context)) return s_none;
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)) return s_none;
        if (request.Path.StartsWithSegments("/api/v1/heartbeat", StringComparison.OrdinalIgnoreCase)) return Heartbeat(context);
        if (IsIngest(request)) return Ingest(context);
        return Api(context);
    }

    /// <summary>The global limiter, second link: a ceiling per IP over all api calls, so made-up keys do not mint buckets.</summary>
    public RateLimitPartition<string> GlobalPerIp(HttpContext context)
    {
        if (!options.Enabled || NamesItsOwnPolicy(context)) return s_none;
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/api/v1/heartbeat", StringComparison.OrdinalIgnoreCase)) return s_none;
        return Bucket(context, "apiip|" + ClientAddress(context), options.ApiPerIp);
    }

    public RateLimitPartition<string> Login(HttpContext context) =>
        options.Enabled ? Window(context, $"{RateLimitPolicies.Login}|{ClientAddress(context)}", options.Login) : s_none;

    public RateLimitPartition<string> Api(HttpContext context) =>
        options.Enabled ? Bucket(context, $"{RateLimitPolicies.Api}|{Caller(context)}", options.Api) : s_none;

    public RateLimitPartition<string> Ingest(HttpContext context) =>
        options.Enabled ? Bucket(context, $"{RateLimitPolicies.Ingest}|{Caller(context)}", options.Ingest) : s_none;

    public RateLimitPartition<string> Heartbeat(HttpContext context) =>
        options.Enabled ? Bucket(context, $"{RateLimitPolicies.Heartbeat}|{ClientAddress(context)}", options.Heartbeat) : s_none;

    /// <summary>The refill time of the policy that limited this request, for Retry-After when the lease has no metadata.</summary>
    public static TimeSpan? FallbackRetryAfter(HttpContext context) =>
        context.Items.TryGetValue(s_retryAfterKey, out var value) ? value as TimeSpan? : null;

    // Endpoint policies and the global limiter would both count otherwise; the endpoint's own choice wins.
    private static bool NamesItsOwnPolicy(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>() is not null;

    private static bool IsIngest(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && (IsExactly(request.Path, "/api/v1/metrics") || IsExactly(request.Path, "/api/v1/events"));

    private static bool IsExactly(PathString path, string route) =>
        path.StartsWithSegments(route, StringComparison.OrdinalIgnoreCase, out var rest) && (!rest.HasValue || rest.Value == "/");

    private static RateLimitPartition<string> Bucket(HttpContext context, string key, TokenBucketLimit limit)
    {
        context.Items[s_retryAfterKey] = limit.Period;
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit.PermitLimit,
            TokensPerPeriod = limit.TokensPerPeriod,
            ReplenishmentPeriod = limit.Period,
            QueueLimit = 0, // answer 429 at once rather than holding requests (and their memory) in a queue
            AutoReplenishment = false, // the partitioned limiter's 100 ms timer refills every partition; no timer each
        });
    }

    private static RateLimitPartition<string> Window(HttpContext context, string key, FixedWindowLimit limit)
    {
        context.Items[s_retryAfterKey] = limit.Window;
        return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            QueueLimit = 0,
            AutoReplenishment = false,
        });
    }

    /// <summary>The API key (hashed), else the signed-in user, else the client address.</summary>
    internal static string Caller(HttpContext context)
    {
        var key = context.Request.Headers[ApiKeyHeader];
        if (key.Count == 1 && key[0] is { Length: > 0 and <= MaxApiKeyLength } raw) return "k:" + HashKey(raw);
        if (context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }) return "u:" + name;
        return "ip:" + ClientAddress(context);
    }

    /// <summary>
    /// SHA-256 of the key, first 128 bits: enough to tell callers apart, and the raw key is never
    /// held by a limiter that outlives the request.
    /// </summary>
    internal static string HashKey(string key)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return Convert.ToHexString(hash[..16]);
    }

    /// <summary>
    /// The client address, IPv6 reduced to its /64 (one host usually owns a whole /64, so single
    /// addresses would give it unlimited buckets). Behind a proxy, run UseForwardedHeaders first.
    /// </summary>
    internal static string ClientAddress(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}

/// <summary>
/// The global limiter: the per-caller budget chosen by path, chained with a per-IP ceiling over all
/// api calls. A DI singleton so that the host disposes it, which stops the partitions' 100 ms timers.
/// </summary>
internal sealed class GlobalRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _perCaller;
    private readonly PartitionedRateLimiter<HttpContext> _perAddress;

    public GlobalRateLimiter(Microsoft.Extensions.Options.IOptions<Hosting.MonitoringOptions> options)
    {
        var partitions = new RateLimitPartitions(options.Value.Abuse);
        _perCaller = PartitionedRateLimiter.Create<HttpContext, string>(partitions.Global);
        _perAddress = PartitionedRateLimiter.Create<HttpContext, string>(partitions.GlobalPerIp);
        Limiter = PartitionedRateLimiter.CreateChained(_perCaller, _perAddress);
    }

    public PartitionedRateLimiter<HttpContext> Limiter { get; }

    // The chained limiter does not dispose the limiters it chains.
    public void Dispose()
    {
        Limiter.Dispose();
        _perCaller.Dispose();
        _perAddress.Dispose();
    }
}

/// <summary>The 429 answer: Retry-After in whole seconds and a ProblemDetails body.</summary>
internal static class RateLimitRejection
{
    public static async ValueTask WriteAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var fromLease)
            ? fromLease
            : RateLimitPartitions.FallbackRetryAfter(context) ?? TimeSpan.FromSeconds(1);
        var seconds = (long)Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await AbuseProblems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests.",
            $"The rate limit for this caller was reached; retry after {seconds} s.");
    }
}
