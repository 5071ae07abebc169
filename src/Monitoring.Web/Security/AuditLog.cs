using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Monitoring.Web.Data;

namespace Monitoring.Web.Security;

/// <summary>Writes audit entries: who did what, when, from where. Writes are synchronous with the change they record.</summary>
public sealed class AuditLog(IDbContextFactory<MonitoringDbContext> dbFactory, TimeProvider time)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public async Task WriteAsync(HttpContext? http, string action, string? target, object? detail = null, bool success = true, string? actorOverride = null)
    {
        var (actorType, actor) = Describe(http?.User);
        if (actorOverride is not null) actor = actorOverride;
        var entry = new AuditEntryEntity
        {
            AtMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            ActorType = http is null ? "system" : actorType,
            Actor = http is null && actorOverride is null ? "system" : actor,
            Action = action,
            Target = target,
            Detail = detail is null ? null : JsonSerializer.Serialize(detail, s_json),
            RemoteIp = http?.Connection.RemoteIpAddress?.ToString(),
            RequestId = http?.TraceIdentifier,
            Success = success,
        };
        await using var db = await dbFactory.CreateDbContextAsync();
        db.AuditEntries.Add(entry);
        await db.SaveChangesAsync();
    }

    public static (string Type, string Name) Describe(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true) return ("anonymous", "anonymous");
        var type = user.FindFirstValue(MonitoringClaims.ActorType) ?? "user";
        return (type, user.Identity.Name ?? "unknown");
    }
}
