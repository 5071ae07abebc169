using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Monitoring.Web.Data;

namespace Monitoring.Web.Security;

public sealed record DisplayLinkResponse(long Id, string Name, long? DashboardId, string? CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, bool Revoked, string? Url = null);

/// <summary>Read-only links for wall screens: a long random token, revocable, optionally bound to a dashboard.</summary>
public sealed class DisplayLinks(IDbContextFactory<MonitoringDbContext> dbFactory, SessionRevocation sessions, TimeProvider time)
{
    public const string TokenKind = "md";

    public async Task<DisplayLinkResponse> CreateAsync(string name, long? dashboardId, string? createdBy, CancellationToken ct)
    {
        var (token, prefix, hash) = SecretTokens.Create(TokenKind);
        var entity = new DisplayLinkEntity { Name = name, Prefix = prefix, Hash = hash, DashboardId = dashboardId, CreatedBy = createdBy, CreatedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds() };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.DisplayLinks.Add(entity);
        await db.SaveChangesAsync(ct);
        return ToResponse(entity) with { Url = $"/display/{token}" };
    }

    public async Task<DisplayLinkEntity?> ValidateAsync(string token, CancellationToken ct)
    {
        var prefix = SecretTokens.PrefixOf(TokenKind, token);
        if (prefix is null) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var link = await db.DisplayLinks.FirstOrDefaultAsync(l => l.Prefix == prefix, ct);
        if (link is null || !SecretTokens.Matches(token, link.Hash) || link.RevokedAtMs is not null) return null;
        link.LastUsedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        await db.SaveChangesAsync(ct);
        return link;
    }

    /// <summary>Whether a signed-in display session is still backed by an active link.</summary>
    public async Task<bool> IsActiveAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.DisplayLinks.AnyAsync(l => l.Id == id && l.RevokedAtMs == null, ct);
    }

    public async Task<List<DisplayLinkResponse>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.DisplayLinks.AsNoTracking().OrderBy(l => l.Id).ToListAsync(ct)).Select(ToResponse).ToList();
    }

    public async Task<bool> RevokeAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var n = await db.DisplayLinks.Where(l => l.Id == id && l.RevokedAtMs == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.RevokedAtMs, time.GetUtcNow().ToUnixTimeMilliseconds()), ct);
        if (n == 0 && !await db.DisplayLinks.AnyAsync(l => l.Id == id, ct)) return false;
        sessions.Revoke("display:" + id);
        return true;
    }

    public static ClaimsPrincipal Principal(DisplayLinkEntity link) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.Name, $"display:{link.Name}"),
        new Claim(MonitoringClaims.ActorType, "display"),
        new Claim(MonitoringClaims.DisplayLinkId, link.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new Claim(ClaimTypes.Role, Roles.Viewer),
    ], Schemes.Display));

    private static DisplayLinkResponse ToResponse(DisplayLinkEntity e) => new(e.Id, e.Name, e.DashboardId, e.CreatedBy,
        DateTimeOffset.FromUnixTimeMilliseconds(e.CreatedAtMs), e.LastUsedAtMs is { } u ? DateTimeOffset.FromUnixTimeMilliseconds(u) : null, e.RevokedAtMs is not null);
}
