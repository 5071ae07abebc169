using Monitoring.Core.Realtime;
using Monitoring.Web.Security;

namespace Monitoring.Web.Realtime;

/// <summary>
/// <c>GET /api/v1/overview/grid</c>: every service's tile (id, name, status code) by name, with the
/// sequence the overview group's <c>GridChanged</c> deltas follow. The overview paints from it before
/// the WebAssembly app has started, so it is small: parallel arrays, no latency or messages.
/// </summary>
public static class GridApi
{
    public static IEndpointRouteBuilder MapGridApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(MonitoringHubContract.GridPath, GetGrid).WithTags("Live").WithName("OverviewGrid")
            .WithSummary("Every service's status tile by name, and the sequence of the overview group's grid deltas")
            .RequireAuthorization(Policies.CanRead);
        return app;
    }

    public static IResult GetGrid(HttpContext http, StatusBroadcaster broadcaster)
    {
        // The live view must never show a cached grid.
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(broadcaster.GridSnapshot());
    }
}
