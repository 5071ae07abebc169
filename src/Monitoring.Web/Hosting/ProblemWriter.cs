using Microsoft.AspNetCore.Mvc;

namespace Monitoring.Web.Hosting;

/// <summary>Writes a ProblemDetails response from middleware or handlers (outside endpoint results).</summary>
public static class ProblemWriter
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string? detail = null)
    {
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = status;
        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await service.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
