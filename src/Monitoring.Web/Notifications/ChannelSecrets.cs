using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Monitoring.Web.Notifications;

/// <summary>Encrypts channel secrets at rest with Data Protection (keys in the data directory, see <see cref="NotificationsRegistration"/>).</summary>
public sealed class ChannelSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Monitoring.Notifications.ChannelSecrets.v1");

    public string? Protect(IReadOnlyDictionary<string, string> secrets) =>
        secrets.Count == 0 ? null : _protector.Protect(JsonSerializer.Serialize(secrets));

    public Dictionary<string, string> Unprotect(string? protectedValue) =>
        string.IsNullOrEmpty(protectedValue) ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(_protector.Unprotect(protectedValue)) ?? [];
}

/// <summary>The channel types known to this process: the built-in ones and any registered <see cref="INotificationChannel"/>.</summary>
public sealed class ChannelTypes(IEnumerable<INotificationChannel> channels)
{
    private readonly Dictionary<string, INotificationChannel> _byType =
        channels.GroupBy(c => c.Type, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Last(), StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Names => _byType.Keys;

    public INotificationChannel? Find(string type) => _byType.GetValueOrDefault(type);
}
