using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Security;

/// <summary>
/// Registration and pipeline of the abuse protections: rate limits (429), body size (413),
/// hub origin (403) and security headers. Limits come from <c>Monitoring:Abuse</c>.
/// </summary>
public static class AbuseProtection
{
    /// <summary>Rate-limit policies and the global limiter, and 413 for oversize bodies found while reading.</summary>
    public static IServiceCollection AddMonitoringAbuseProtection(this IServiceCollection services)
    {
        services.AddSingleton<GlobalRateLimiter>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<MonitoringOptions>, GlobalRateLimiter>((o, monitoring, global) =>
        {
            var partitions = new RateLimitPartitions(monitoring.Value.Abuse);
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RateLimitRejection.WriteAsync;
            o.GlobalLimiter = global.Limiter;
            o.AddPolicy(RateLimitPolicies.Login, partitions.Login);
            o.AddPolicy(RateLimitPolicies.Api, partitions.Api);
            o.AddPolicy(RateLimitPolicies.Ingest, partitions.Ingest);
            o.AddPolicy(RateLimitPolicies.Heartbeat, partitions.Heartbeat);
        });

        // Kestrel throws BadHttpRequestException (413) when a body without Content-Length outgrows the
        // limit while it is read, and so does our counting stream; without this it would end as a 500.
        services.AddOptions<ExceptionHandlerOptions>().Configure(o =>
        {
            var previous = o.StatusCodeSelector;
            o.StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode
                : previous is null ? StatusCodes.Status500InternalServerError : previous(ex);
            // A client sending too much is not a server error: no error log with a stack trace per oversize upload.
            var suppress = o.SuppressDiagnosticsCallback;
            o.SuppressDiagnosticsCallback = c => c.Exception is BadHttpRequestException
                || (suppress?.Invoke(c) ?? c.ExceptionHandledBy == ExceptionHandledType.ExceptionHandlerService); // the framework's default
        });
        return services;
    }

    /// <summary>
    /// Headers, hub origin check, body size cap, then rate limits. Place it early (after the request
    /// id, before the endpoints) so rejections are cheap and still carry the request id and headers.
    /// </summary>
    public static IApplicationBuilder UseMonitoringAbuseProtection(this IApplicationBuilder app)
    {
        var abuse = app.ApplicationServices.GetRequiredService<IOptions<MonitoringOptions>>().Value.Abuse;
        if (abuse.SecurityHeaders) app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<OriginCheckMiddleware>();
        app.UseMiddleware<RequestSizeLimitMiddleware>();
        app.UseRateLimiter();
        return app;
    }
}

/// <summary>RFC 9457 answers for the protections, through the app's problem details service (which adds requestId).</summary>
internal static class AbuseProblems
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        var service = context.RequestServices.GetService<IProblemDetailsService>();
        if (service is not null && await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem })) return;
        // The service declines when Accept rules out JSON; the status says it all, but keep the body uniform.
        problem.Extensions["requestId"] = context.TraceIdentifier;
        await context.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json");
    }
}
