using Monitoring.Core.Realtime;

namespace Monitoring.Client.Live;

/// <summary>
/// The transport behind <see cref="ServicesStore"/>: the hub in the browser, a fake in tests.
/// It reports connection changes and deltas; the store decides when to ask for a snapshot.
/// </summary>
public interface IServicesFeed : IAsyncDisposable
{
    /// <summary>
    /// Starts connecting in the background and returns at once; connection attempts never stop until
    /// disposal. Every (re)connection is reported as <see cref="LiveConnectionState.Live"/>.
    /// </summary>
    Task StartAsync(IServicesFeedObserver observer, CancellationToken cancellationToken);

    /// <summary>The full state and the sequence number the next delta follows.</summary>
    Task<ServicesSnapshot> GetSnapshotAsync(CancellationToken cancellationToken);
}

/// <summary>Receives what an <see cref="IServicesFeed"/> sees.</summary>
public interface IServicesFeedObserver
{
    /// <summary>
    /// Called on the transport's receive path: must not wait for a round trip to the server
    /// (the SignalR client would deadlock waiting for a reply it cannot read).
    /// </summary>
    Task OnDeltaAsync(ServiceDelta delta);

    Task OnConnectionChangedAsync(LiveConnectionState state);
}
