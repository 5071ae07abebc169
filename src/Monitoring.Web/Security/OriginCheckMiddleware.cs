using Microsoft.Extensions.Options;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Security;

/// <summary>
/// Cross-site WebSocket hijacking guard: a browser sends <c>Origin</c> with every hub request
/// (negotiate, WebSocket upgrade, long polling, SSE), and WebSockets are not covered by CORS, so a
/// page on another site could otherwise open a hub connection with the user's cookies. Requests to
/// <c>/hubs/*</c> whose Origin is not allowed get 403; requests without Origin (non-browser clients,
/// which carry no ambient cookies) pass.
/// </summary>
/// <remarks>
/// Same-origin compares with the request's own scheme and Host. Host is chosen by whoever resolves
/// the name, so a DNS-rebinding page passes that comparison, but it then talks to the server under
/// its own name and gets none of our cookies; set <c>AllowSameOrigin=false</c> with
/// <c>PublicOrigin</c> (and AllowedHosts) to pin it down completely.
/// </remarks>
public sealed class OriginCheck
{
    public const string HubsPrefix = "/hubs";

    private readonly HashSet<string> _allowed = new(StringComparer.OrdinalIgnoreCase);
    private readonly bool _allowSameOrigin;

    public OriginCheck(AbuseOptions options)
    {
        foreach (var origin in options.AllowedOrigins.Append(options.PublicOrigin))
            if (TryNormalize(origin, out var normalized)) _allowed.Add(normalized);
        _allowSameOrigin = options.AllowSameOrigin;
    }

    /// <summary>Whether a request with this Origin header may proceed.</summary>
    public bool IsAllowed(string origin, HttpRequest request)
    {
        if (!TryNormalize(origin, out var normalized)) return false; // includes "null" (sandboxed frames, file:)
        if (_allowed.Contains(normalized)) return true;
        return _allowSameOrigin && request.Host.HasValue
            && TryNormalize($"{request.Scheme}://{request.Host.Value}", out var own)
            && string.Equals(normalized, own, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary><c>scheme://host[:port]</c>, lower case, default port dropped; false for anything with a path, query or user info.</summary>
    public static bool TryNormalize(string? origin, out string normalized)
    {
        normalized = "";
        if (string.IsNullOrWhiteSpace(origin) || !Uri.TryCreate(origin.Trim(), UriKind.Absolute, out var uri)) return false;
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) return false;
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0) return false;
        normalized = uri.IsDefaultPort ? $"{uri.Scheme}://{uri.IdnHost}" : $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";
        normalized = normalized.ToLowerInvariant();
        return true;
    }
}

/// <summary>Applies <see cref="OriginCheck"/> to <c>/hubs/*</c>.</summary>
internal sealed class OriginCheckMiddleware(RequestDelegate next, IOptions<MonitoringOptions> options)
{
    private readonly OriginCheck _check = new(options.Value.Abuse);

    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(OriginCheck.HubsPrefix, StringComparison.OrdinalIgnoreCase)) return next(context);
        var origin = context.Request.Headers.Origin;
        if (origin.Count == 0) return next(context);
        if (origin.Count == 1 && _check.IsAllowed(origin[0]!, context.Request)) return next(context);
        // The origin is not echoed back: it is the caller's text, and the caller knows it.
        return AbuseProblems.WriteAsync(context, StatusCodes.Status403Forbidden, "Origin not allowed.",
            "Hub connections are accepted from this server's own origin and the configured Monitoring:Abuse:AllowedOrigins only.");
    }
}
