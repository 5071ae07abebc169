using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monitoring.Core.Realtime;

namespace Monitoring.Client.Live;

/// <summary>
/// The real feed: one <see cref="HubConnection"/> to <c>/hubs/monitoring</c> that never gives up,
/// shared by the services store (<see cref="IServicesFeed"/>) and the other live stores (<see cref="ILiveFeed"/>).
/// </summary>
public sealed partial class HubServicesFeed : IServicesFeed, ILiveFeed
{
    private readonly HubConnection _connection;
    private readonly LiveOptions _options;
    private readonly ILogger<HubServicesFeed> _logger;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _lock = new();
    private readonly List<ILiveFeedObserver> _observers = [];
    // Metric groups this tab wants; joined again after each reconnection (the server forgets them).
    private readonly HashSet<string> _metrics = new(StringComparer.Ordinal);
    private IServicesFeedObserver? _servicesObserver;
    private int _started;

    public HubServicesFeed(NavigationManager navigation, IOptions<LiveOptions> options, ILogger<HubServicesFeed> logger)
    {
        _options = options.Value;
        _logger = logger;
        _connection = new HubConnectionBuilder()
            .WithUrl(navigation.ToAbsoluteUri(MonitoringHubContract.Path))
            .WithAutomaticReconnect(new CappedRetryPolicy(_options.MaxReconnectDelay))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, LiveJsonContext.Default))
            .Build();
        _connection.On<ServiceDelta>(MonitoringHubContract.ServicesChanged, async delta =>
        {
            foreach (var o in Observers()) o.OnMessage();
            if (_servicesObserver is { } observer) await observer.OnDeltaAsync(delta);
        });
        _connection.On<GridDelta>(MonitoringHubContract.GridChanged, async delta =>
        {
            foreach (var o in Observers()) { o.OnMessage(); await o.OnGridDeltaAsync(delta); }
        });
        _connection.On<AlertDelta>(MonitoringHubContract.AlertsChanged, async delta =>
        {
            foreach (var o in Observers()) { o.OnMessage(); await o.OnAlertsDeltaAsync(delta); }
        });
        _connection.On<MetricsDelta>(MonitoringHubContract.MetricsChanged, async delta =>
        {
            foreach (var o in Observers()) { o.OnMessage(); await o.OnMetricsDeltaAsync(delta); }
        });
        _connection.Reconnecting += _ => ReportAsync(LiveConnectionState.Reconnecting);
        _connection.Reconnected += _ => OnLiveAsync();
        _connection.Closed += async error =>
        {
            // Automatic reconnect retries forever, so Closed means the server refused the
            // connection for good (or we are disposing): start over with the connect loop.
            if (_disposed.IsCancellationRequested) return;
            LogClosed(error);
            await ReportAsync(LiveConnectionState.Disconnected);
            _ = ConnectAsync();
        };
    }

    public Task StartAsync(IServicesFeedObserver observer, CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _servicesObserver, observer, null) is not null)
            throw new InvalidOperationException("The feed is already started.");
        // Another store may have connected first: this observer still needs its "Live" to take a snapshot.
        if (_connection.State == HubConnectionState.Connected) _ = observer.OnConnectionChangedAsync(LiveConnectionState.Live);
        return EnsureStartedAsync();
    }

    public Task EnsureStartedAsync()
    {
        // Run in the background: the caller (a layout's first render) doesn't wait for the server.
        if (Interlocked.Exchange(ref _started, 1) == 0) _ = ConnectAsync();
        return Task.CompletedTask;
    }

    public void Subscribe(ILiveFeedObserver observer)
    {
        lock (_lock) _observers.Add(observer);
        if (_connection.State == HubConnectionState.Connected) _ = observer.OnConnectionChangedAsync(LiveConnectionState.Live);
    }

    public Task<ServicesSnapshot> GetSnapshotAsync(CancellationToken cancellationToken) =>
        _connection.InvokeAsync<ServicesSnapshot>(MonitoringHubContract.GetServicesSnapshot, cancellationToken);

    public Task<AlertsSnapshot> GetAlertsSnapshotAsync(CancellationToken cancellationToken) =>
        _connection.InvokeAsync<AlertsSnapshot>(MonitoringHubContract.GetAlertsSnapshot, cancellationToken);

    public async Task JoinMetricAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock) if (!_metrics.Add(name)) return;
        if (_connection.State == HubConnectionState.Connected)
            await _connection.InvokeAsync(MonitoringHubContract.JoinMetric, name, cancellationToken);
    }

    public async Task LeaveMetricAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock) if (!_metrics.Remove(name)) return;
        if (_connection.State == HubConnectionState.Connected)
            await _connection.InvokeAsync(MonitoringHubContract.LeaveMetric, name, cancellationToken);
    }

    private ILiveFeedObserver[] Observers()
    {
        lock (_lock) return [.. _observers];
    }

    private async Task ReportAsync(LiveConnectionState state)
    {
        if (_servicesObserver is { } services) await services.OnConnectionChangedAsync(state);
        foreach (var o in Observers()) await o.OnConnectionChangedAsync(state);
    }

    private async Task OnLiveAsync()
    {
        string[] metrics;
        lock (_lock) metrics = [.. _metrics];
        // Not awaited one by one on the receive path: the replies come through it.
        _ = Task.Run(async () =>
        {
            foreach (var name in metrics)
            {
                try { await _connection.InvokeAsync(MonitoringHubContract.JoinMetric, name, _disposed.Token); }
                catch (Exception ex) { LogJoinFailed(ex, name); }
            }
        });
        await ReportAsync(LiveConnectionState.Live);
    }

    // WithAutomaticReconnect only covers connections that once succeeded; the first start and a
    // start after Closed are retried here with the same capped back-off.
    private async Task ConnectAsync()
    {
        for (var attempt = 0L; !_disposed.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.Delay(CappedRetryPolicy.Delay(attempt, _options.MaxReconnectDelay), _disposed.Token);
                await _connection.StartAsync(_disposed.Token);
                await OnLiveAsync();
                return;
            }
            catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogConnectFailed(ex, attempt + 1);
                await ReportAsync(LiveConnectionState.Disconnected);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Joining the live group of metric {Name} failed")]
    private partial void LogJoinFailed(Exception ex, string name);
}
