using System.Collections.Concurrent;
using System.Threading.Channels;
using Monitoring.Core.Services;

namespace Monitoring.Web.Services;

/// <summary>A registry change the scheduler applies without a restart.</summary>
public readonly record struct RegistryChange(long ServiceId, bool Removed);

/// <summary>
/// The in-memory view of every registered service, loaded from the store at start and kept
/// in step by the API. Readers (scheduler, checkers, list API) never touch the database.
/// </summary>
public sealed class ServiceRegistry
{
    private readonly ConcurrentDictionary<long, ServiceDefinition> _services = new();
    private readonly ConcurrentDictionary<string, long> _byHeartbeatToken = new(StringComparer.Ordinal);
    private readonly Channel<RegistryChange> _changes;

    public ServiceRegistry(int capacity = 50_000)
    {
        Capacity = capacity;
        // The scheduler is the only reader; a burst of changes larger than this waits for it.
        _changes = Channel.CreateBounded<RegistryChange>(new BoundedChannelOptions(Math.Max(1024, capacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public int Capacity { get; }
    public int Count => _services.Count;
    public ChannelReader<RegistryChange> Changes => _changes.Reader;

    public IEnumerable<ServiceDefinition> All => _services.Values;

    public bool TryGet(long id, out ServiceDefinition service) => _services.TryGetValue(id, out service!);

    public bool TryGetByHeartbeatToken(string token, out ServiceDefinition service)
    {
        service = null!;
        return _byHeartbeatToken.TryGetValue(token, out var id) && _services.TryGetValue(id, out service!);
    }

    public async ValueTask UpsertAsync(ServiceDefinition service, CancellationToken cancellationToken = default)
    {
        if (_services.TryGetValue(service.Id, out var old) && old.HeartbeatToken is { } oldToken)
            _byHeartbeatToken.TryRemove(oldToken, out _);
        _services[service.Id] = service;
        if (service.HeartbeatToken is { } token) _byHeartbeatToken[token] = service.Id;
        await _changes.Writer.WriteAsync(new RegistryChange(service.Id, false), cancellationToken);
    }

    public async ValueTask RemoveAsync(long id, CancellationToken cancellationToken = default)
    {
        if (_services.TryRemove(id, out var old) && old.HeartbeatToken is { } token)
            _byHeartbeatToken.TryRemove(token, out _);
        await _changes.Writer.WriteAsync(new RegistryChange(id, true), cancellationToken);
    }
}
