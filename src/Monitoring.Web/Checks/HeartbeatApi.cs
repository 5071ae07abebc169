using Microsoft.AspNetCore.Http.HttpResults;
using Monitoring.Web.Hosting;
using Monitoring.Web.Services;

namespace Monitoring.Web.Checks;

/// <summary><c>POST /api/v1/heartbeat/{token}</c>: a push from a job or cron that says "I ran".</summary>
public static class HeartbeatApi
{
    public static IEndpointRouteBuilder MapHeartbeatApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/heartbeat/{token}", Beat).WithName("Heartbeat").WithSummary("Record a heartbeat push").WithTags("Services")
            .AllowAnonymous(); // the unguessable token is the credential, like a push URL in other monitors
        return app;
    }

    public static Results<Accepted, ProblemHttpResult> Beat(string token, ServiceRegistry registry, HeartbeatTracker heartbeats)
    {
        if (token.Length > 128 || !registry.TryGetByHeartbeatToken(token, out var service))
            return ProblemResults.Status(StatusCodes.Status404NotFound, "Unknown heartbeat token.");
        heartbeats.Beat(service.Id);
        return TypedResults.Accepted((string?)null);
    }
}
