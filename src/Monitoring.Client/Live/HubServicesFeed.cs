using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monitoring.Core.Realtime;

namespace Monitoring.Client.Live;

/// <summary>The real feed: one <see cref="HubConnection"/> to <c>/hubs/monitoring</c> that never gives up.</summary>
public sealed partial class HubServicesFeed : IServicesFeed
{
    private readonly HubConnection _connection;
    private readonly LiveOptions _options;
    private readonly ILogger<HubServicesFeed> _logger;
    private readonly CancellationTokenSource _disposed = new();
    private IServicesFeedObserver? _observer;

    public HubServicesFeed(NavigationManager navigation, IOptions<LiveOptions> options, ILogger<HubServicesFeed> logger)
    {
        _options = options.Value;
        _logger = logger;
        _connection = new HubConnectionBuilder()
            .WithUrl(navigation.ToAbsoluteUri(MonitoringHubContract.Path))
            .WithAutomaticReconnect(new CappedRetryPolicy(_options.MaxReconnectDelay))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, LiveJsonContext.Default))
            .Build();
    }

    public Task StartAsync(IServicesFeedObserver observer, CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _observer, observer, null) is not null)
            throw new InvalidOperationException("The feed is already started.");
        _connection.On<ServiceDelta>(MonitoringHubContract.ServicesChanged, observer.OnDeltaAsync);
        _connection.Reconnecting += _ => observer.OnConnectionChangedAsync(LiveConnectionState.Reconnecting);
        _connection.Reconnected += _ => observer.OnConnectionChangedAsync(LiveConnectionState.Live);
        _connection.Closed += async error =>
        {
            // Automatic reconnect retries forever, so Closed means the server refused the
            // connection for good (or we are disposing): start over with the connect loop.
            if (_disposed.IsCancellationRequested) return;
            LogClosed(error);
            await observer.OnConnectionChangedAsync(LiveConnectionState.Disconnected);
            _ = ConnectAsync(observer);
        };
        // Run in the background: the caller (a layout's first render) doesn't wait for the server.
        _ = ConnectAsync(observer);
        return Task.CompletedTask;
    }

    public Task<ServicesSnapshot> GetSnapshotAsync(CancellationToken cancellationToken) =>
        _connection.InvokeAsync<ServicesSnapshot>(MonitoringHubContract.GetServicesSnapshot, cancellationToken);

    // WithAutomaticReconnect only covers connections that once succeeded; the first start and a
    // start after Closed are retried here with the same capped back-off.
    private async Task ConnectAsync(IServicesFeedObserver observer)
    {
        for (var attempt = 0L; !_disposed.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.Delay(CappedRetryPolicy.Delay(attempt, _options.MaxReconnectDelay), _disposed.Token);
                await _connection.StartAsync(_disposed.Token);
                await observer.OnConnectionChangedAsync(LiveConnectionState.Live);
                return;
            }
            catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogConnectFailed(ex, attempt + 1);
                await observer.OnConnectionChangedAsync(LiveConnectionState.Disconnected);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        await _connection.DisposeAsync();
        _disposed.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connecting to the live hub failed (attempt {Attempt})")]
    private partial void LogConnectFailed(Exception ex, long attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The live hub connection closed")]
    private partial void LogClosed(Exception? ex);
}
