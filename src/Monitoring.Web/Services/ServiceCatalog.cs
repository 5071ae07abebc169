using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Monitoring.Core.Services;
using Monitoring.Web.Checks;
using Monitoring.Web.Data;

namespace Monitoring.Web.Services;

/// <summary>
/// Registers, updates and removes services: the store first (so a 2xx means durable), then the
/// in-memory registry that the scheduler follows.
/// </summary>
public sealed class ServiceCatalog(
    IDbContextFactory<MonitoringDbContext> dbFactory,
    ServiceRegistry registry,
    ServiceStateCache states,
    TimeProvider time)
{
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Services.AsNoTracking().ToListAsync(cancellationToken);
        foreach (var row in rows) await registry.UpsertAsync(row.ToDefinition(), cancellationToken);
    }

    /// <summary>Null with a reason when the registry is full.</summary>
    public async Task<(ServiceDefinition? Service, string? Error)> CreateAsync(ServiceDefinition definition, CancellationToken cancellationToken)
    {
        if (registry.Count >= registry.Capacity) return (null, $"The registry holds at most {registry.Capacity} services.");
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        definition = definition with
        {
            CreatedAtMs = now,
            Version = 1,
            HeartbeatToken = definition.Type == ServiceType.Heartbeat ? NewToken() : null,
        };
        var entity = new ServiceEntity { Name = definition.Name, Type = "", Criticality = "", CreatedAtMs = now };
        definition.CopyTo(entity, now);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Services.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        definition = definition with { Id = entity.Id };
        await registry.UpsertAsync(definition, cancellationToken);
        states.MarkDirty(definition.Id);
        return (definition, null);
    }

    public async Task<ServiceDefinition?> UpdateAsync(ServiceDefinition definition, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entity = await db.Services.FindAsync([definition.Id], cancellationToken);
        if (entity is null) return null;
        if (definition.Type == ServiceType.Heartbeat && definition.HeartbeatToken is null) definition = definition with { HeartbeatToken = NewToken() };
        if (definition.Type != ServiceType.Heartbeat) definition = definition with { HeartbeatToken = null };
        definition.CopyTo(entity, now);
        await db.SaveChangesAsync(cancellationToken);
        await registry.UpsertAsync(definition, cancellationToken);
        states.MarkDirty(definition.Id);
        return definition;
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deleted = await db.Services.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0) return false;
        await registry.RemoveAsync(id, cancellationToken);
        states.Remove(id);
        return true;
    }

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}
