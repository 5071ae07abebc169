using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;

namespace Monitoring.Web.Security;

/// <summary>
/// Live connections (hub connections now, streams later) per principal, so a password change,
/// a revoked key or a revoked display link ends them at once instead of at the next reconnect.
/// One entry per open connection, so it is bounded by the connections the server holds.
/// </summary>
public sealed class SessionRevocation
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Action>> _byPrincipal = new(StringComparer.Ordinal);

    /// <summary>The key under which a principal's connections are tracked: user id, key id or display link id.</summary>
    public static string? KeyOf(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true) return null;
        if (user.FindFirstValue(MonitoringClaims.DisplayLinkId) is { } link) return "display:" + link;
        if (user.FindFirstValue(MonitoringClaims.KeyId) is { } key) return "key:" + key;
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id) return "user:" + id;
        return null;
    }

    public void Track(HubCallerContext context)
    {
        if (KeyOf(context.User) is not { } key) return;
        _byPrincipal.GetOrAdd(key, _ => new ConcurrentDictionary<string, Action>(StringComparer.Ordinal))[context.ConnectionId] = context.Abort;
    }

    /// <summary>Registers any live connection (e.g. a stream) with its own abort; dispose to untrack.</summary>
    public IDisposable Track(ClaimsPrincipal user, string connectionId, Action abort)
    {
        if (KeyOf(user) is not { } key) return NoOp.Instance;
        _byPrincipal.GetOrAdd(key, _ => new ConcurrentDictionary<string, Action>(StringComparer.Ordinal))[connectionId] = abort;
        return new Tracked(this, key, connectionId);
    }

    public void Untrack(HubCallerContext context)
    {
        if (KeyOf(context.User) is { } key) Remove(key, context.ConnectionId);
    }

    /// <summary>Ends every live connection of the principal; returns how many.</summary>
    public int Revoke(string key)
    {
        if (!_byPrincipal.TryRemove(key, out var connections)) return 0;
        foreach (var abort in connections.Values) abort();
        return connections.Count;
    }

    public int Count => _byPrincipal.Values.Sum(c => c.Count);

    private void Remove(string key, string connectionId)
    {
        if (_byPrincipal.TryGetValue(key, out var connections))
        {
            connections.TryRemove(connectionId, out _);
            if (connections.IsEmpty) _byPrincipal.TryRemove(KeyValuePair.Create(key, connections));
        }
    }

    private sealed class Tracked(SessionRevocation owner, string key, string id) : IDisposable
    {
        public void Dispose() => owner.Remove(key, id);
    }

    private sealed class NoOp : IDisposable
    {
        public static readonly NoOp Instance = new();
        public void Dispose() { }
    }
}
