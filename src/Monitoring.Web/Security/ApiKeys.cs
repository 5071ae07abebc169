using Microsoft.EntityFrameworkCore;
using Monitoring.Web.Data;

namespace Monitoring.Web.Security;

public sealed record ApiKeyResponse(long Id, string Name, string Scope, string Prefix, string? CreatedBy, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, bool Revoked, string? Key = null);

/// <summary>Creates, lists and revokes integration keys. The secret is returned once, at creation.</summary>
public sealed class ApiKeys(IDbContextFactory<MonitoringDbContext> dbFactory, SessionRevocation sessions, TimeProvider time)
{
    public async Task<ApiKeyResponse> CreateAsync(string name, string scope, long? expiresAtMs, string? createdBy, CancellationToken ct)
    {
        var (token, prefix, hash) = SecretTokens.Create(ApiKeyAuthenticationHandler.KeyKind);
        var entity = new ApiKeyEntity
        {
            Name = name, Prefix = prefix, Hash = hash, Scope = scope, CreatedBy = createdBy,
            CreatedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds(), ExpiresAtMs = expiresAtMs,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ApiKeys.Add(entity);
        await db.SaveChangesAsync(ct);
        return ToResponse(entity) with { Key = token };
    }

    public async Task<List<ApiKeyResponse>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync(ct)).Select(ToResponse).ToList();
    }

    public async Task<bool> RevokeAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.ApiKeys.AnyAsync(k => k.Id == id, ct)) return false;
        await db.ApiKeys.Where(k => k.Id == id && k.RevokedAtMs == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAtMs, time.GetUtcNow().ToUnixTimeMilliseconds()), ct);
        sessions.Revoke("key:" + id);
        return true;
    }

    private static ApiKeyResponse ToResponse(ApiKeyEntity e) => new(e.Id, e.Name, e.Scope, e.Prefix, e.CreatedBy,
        DateTimeOffset.FromUnixTimeMilliseconds(e.CreatedAtMs), Time(e.ExpiresAtMs), Time(e.LastUsedAtMs), e.RevokedAtMs is not null);

    private static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
