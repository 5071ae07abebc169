using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitoring.Core.Notifications;
using Monitoring.Web.Data;

namespace Monitoring.Web.Notifications;

/// <summary>Validates, stores and reads notification channels; secrets go in encrypted and never come out.</summary>
public sealed class ChannelCatalog(
    IDbContextFactory<MonitoringDbContext> dbFactory,
    ChannelTypes types,
    ChannelSecrets secrets,
    ChannelBreakers breakers,
    IOptions<NotificationOptions> options,
    TimeProvider time)
{
    public static readonly IReadOnlyList<string> Severities = ["info", "warning", "error", "critical"];
    private const int MaxSettings = 32;
    private const int MaxValueLength = 16_384;

    public async Task<List<NotificationChannelDto>> ListAsync(int take, int skip, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.NotificationChannels.AsNoTracking().OrderBy(c => c.Id).Skip(skip).Take(take).ToListAsync(ct);
        return [.. rows.Select(ToDto)];
    }

    public async Task<NotificationChannelDto?> GetAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.NotificationChannels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct) is { } row ? ToDto(row) : null;
    }

    /// <summary>Creates (existingId null) or updates a channel. Errors are keyed by field; nothing is stored when there are any.</summary>
    public async Task<(NotificationChannelDto? Channel, Dictionary<string, string[]> Errors, IReadOnlyList<string> SecretsChanged)> SaveAsync(
        long? existingId, NotificationChannelInput input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        NotificationChannelEntity? row = null;
        if (existingId is { } id)
        {
            row = await db.NotificationChannels.SingleOrDefaultAsync(c => c.Id == id, ct);
            if (row is null) return (null, errors, []);
        }

        var name = (input.Name ?? row?.Name)?.Trim();
        if (string.IsNullOrEmpty(name)) errors["name"] = ["Required."];
        else if (name.Length > 200) errors["name"] = ["At most 200 characters."];
        else if (await db.NotificationChannels.AnyAsync(c => c.Name == name && c.Id != (existingId ?? 0), ct)) errors["name"] = [$"A channel named '{name}' exists already."];

        var typeName = (input.Type ?? row?.Type)?.Trim().ToLowerInvariant();
        var sender = string.IsNullOrEmpty(typeName) ? null : types.Find(typeName);
        if (sender is null)
            errors["type"] = [$"{(string.IsNullOrEmpty(typeName) ? "Required" : $"Unknown type '{typeName}'")}; one of {string.Join(", ", types.Names.Order())}."];

        var settings = input.Settings is { } given
            ? given.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value.Trim(), StringComparer.Ordinal)
            : row is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(row.SettingsJson) ?? [];
        if (settings.Count > MaxSettings) errors["settings"] = [$"At most {MaxSettings} settings."];
        foreach (var (k, v) in settings)
            if (v.Length > MaxValueLength) errors[$"settings.{k}"] = [$"At most {MaxValueLength} characters."];

        // Secrets: the stored ones, overridden by the request's; an empty string clears one.
        Dictionary<string, string> effective;
        try { effective = row is null ? [] : secrets.Unprotect(row.SecretsProtected); }
        catch (System.Security.Cryptography.CryptographicException) { effective = []; } // keys lost: the caller must set them again
        var changed = new List<string>();
        foreach (var (k, v) in input.Secrets ?? new Dictionary<string, string>())
        {
            if (sender is not null && !sender.SecretNames.Contains(k, StringComparer.Ordinal))
            {
                errors[$"secrets.{k}"] = [$"Unknown secret for type '{sender.Type}'; one of {string.Join(", ", sender.SecretNames)}."];
                continue;
            }
            if (v is null) continue;
            if (v.Length > MaxValueLength) { errors[$"secrets.{k}"] = [$"At most {MaxValueLength} characters."]; continue; }
            if (v.Length == 0) effective.Remove(k); else effective[k] = v;
            changed.Add(k);
        }
        if (sender is not null)
            foreach (var stale in effective.Keys.Where(k => !sender.SecretNames.Contains(k, StringComparer.Ordinal)).ToList()) effective.Remove(stale); // type changed

        var severities = input.Severities is { } sev ? sev.Select(s => s?.Trim().ToLowerInvariant() ?? "").Distinct().ToList()
            : row is null ? [] : JsonSerializer.Deserialize<List<string>>(row.SeveritiesJson) ?? [];
        if (severities.FirstOrDefault(s => !Severities.Contains(s)) is { } badSeverity)
            errors["severities"] = [$"Unknown severity '{badSeverity}'; one of {string.Join(", ", Severities)}."];

        var labels = input.MatchLabels is { } ml ? new Dictionary<string, string>(ml.Where(kv => kv.Value is not null), StringComparer.Ordinal)
            : row is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(row.MatchLabelsJson) ?? [];
        if (labels.Keys.Any(k => string.IsNullOrWhiteSpace(k) || k.Length > 100)) errors["matchLabels"] = ["Label names must be 1 to 100 characters."];
        else if (labels.Count > 20) errors["matchLabels"] = ["At most 20 labels."];

        if (sender is not null) sender.Validate(settings, effective, errors);
        if (errors.Count > 0) return (null, errors, []);

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (row is null)
        {
            row = new NotificationChannelEntity { CreatedAtMs = now };
            db.NotificationChannels.Add(row);
        }
        row.Name = name!;
        row.Type = sender!.Type;
        row.SettingsJson = JsonSerializer.Serialize(settings);
        row.SecretsProtected = secrets.Protect(effective);
        row.SeveritiesJson = JsonSerializer.Serialize(severities);
        row.MatchLabelsJson = JsonSerializer.Serialize(labels);
        row.Enabled = input.Enabled ?? (existingId is null || row.Enabled);
        row.UpdatedAtMs = now;
        await db.SaveChangesAsync(ct);
        breakers.Reset(row.Id); // a fixed URL deserves a fresh start
        return (ToDto(row), errors, changed);
    }

    public async Task<NotificationChannelDto?> DeleteAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.NotificationChannels.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (row is null) return null;
        db.NotificationChannels.Remove(row);
        await db.SaveChangesAsync(ct);
        breakers.Reset(id);
        return ToDto(row);
    }

    /// <summary>Sends a made-up alert straight to the channel (no outbox, no breaker) and reports what happened.</summary>
    public async Task<ChannelTestResult?> TestAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.NotificationChannels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (row is null) return null;
        if (types.Find(row.Type) is not { } sender) return new ChannelTestResult(false, null, $"No sender for channel type '{row.Type}'.", 0);
        Dictionary<string, string> channelSecrets;
        try { channelSecrets = secrets.Unprotect(row.SecretsProtected); }
        catch (System.Security.Cryptography.CryptographicException) { return new ChannelTestResult(false, null, "The channel's secrets cannot be decrypted; set them again.", 0); }
        var config = new ChannelConfig(row.Id, row.Name, row.Type, JsonSerializer.Deserialize<Dictionary<string, string>>(row.SettingsJson) ?? [], channelSecrets);
        var now = time.GetUtcNow();
        var message = NotificationTemplate.TestMessage(now, $"{options.Value.PublicBaseUrl.TrimEnd('/')}/admin/channels");
        var key = $"test:{row.Id}:{Guid.NewGuid():N}";
        var watch = Stopwatch.StartNew();
        DeliveryResult result;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.SendTimeoutSeconds));
        try { result = await sender.SendAsync(message, config, key, timeout.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { result = DeliveryResult.Fail($"No answer within {options.Value.SendTimeoutSeconds:0.#} s."); }
        catch (Exception ex) when (ex is not OperationCanceledException) { result = DeliveryResult.Fail($"{ex.GetType().Name}: {ex.Message}"); }
        var error = result.Error is null ? null : NotificationDelivery.Redact(result.Error, channelSecrets.Values);
        return new ChannelTestResult(result.Delivered, result.StatusCode, error, Math.Round(watch.Elapsed.TotalMilliseconds, 1));
    }

    private NotificationChannelDto ToDto(NotificationChannelEntity row)
    {
        IReadOnlyList<string> secretsSet;
        try { secretsSet = [.. secrets.Unprotect(row.SecretsProtected).Where(kv => kv.Value.Length > 0).Select(kv => kv.Key).Order()]; }
        catch (System.Security.Cryptography.CryptographicException) { secretsSet = []; }
        return new NotificationChannelDto(row.Id, row.Name, row.Type,
            JsonSerializer.Deserialize<Dictionary<string, string>>(row.SettingsJson) ?? [],
            secretsSet,
            JsonSerializer.Deserialize<List<string>>(row.SeveritiesJson) ?? [],
            JsonSerializer.Deserialize<Dictionary<string, string>>(row.MatchLabelsJson) ?? [],
            row.Enabled,
            breakers.State(row.Id),
            DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAtMs),
            DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAtMs));
    }
}
