using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Components.WebAssembly.Http;

namespace Monitoring.Client.Incidents;

/// <summary>What the incident pages need to know about one event of the server's stream.</summary>
/// <param name="Topic"><c>incidents</c> or <c>alerts</c>.</param>
/// <param name="Type">The event's type within its topic, as the server names it.</param>
/// <param name="IncidentId">The incident the event concerns, when it names one.</param>
public readonly record struct IncidentSignal(string Topic, string Type, long? IncidentId);

/// <summary>
/// Incident and alert changes as they happen, read from the server's Server-Sent Events stream
/// (<c>/api/v1/stream?topics=incidents,alerts</c>), so an incident page shows a teammate's note,
/// an acknowledgement or a linked alert within a moment instead of at its next poll. One stream
/// per browser tab, open while at least one page listens; it reconnects with back-off and resumes
/// with <c>Last-Event-ID</c>, then signals "resynced" so listeners re-read once. Nothing is queued:
/// each event is handed to the listeners as it is parsed.
/// </summary>
public sealed class IncidentEventStream(HttpClient http, TimeProvider time) : IAsyncDisposable
{
    public const string Path = "api/v1/stream?topics=incidents,alerts";
    /// <summary>Listeners at once (pages on screen); more is a bug, not load.</summary>
    public const int MaxListeners = 16;
    /// <summary>A data line longer than this is skipped (the server's events are a few hundred bytes).</summary>
    public const int MaxDataChars = 64 * 1024;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<Action<IncidentSignal>> _listeners = [];
    private CancellationTokenSource? _run;
    private Task _loop = Task.CompletedTask;
    private long? _lastEventId;

    /// <summary>True while the stream is open (events arrive as they happen).</summary>
    public bool IsLive { get; private set; }

    /// <summary>Signal type sent after a reconnect: events may have been missed before the replay began.</summary>
    public const string Resynced = "stream.resynced";

    /// <summary>Starts the stream with the first listener; disposing the result removes the listener (and stops the stream with the last one).</summary>
    public IDisposable Listen(Action<IncidentSignal> listener)
    {
        lock (_gate)
        {
            if (_listeners.Count >= MaxListeners) throw new InvalidOperationException($"At most {MaxListeners} listeners.");
            _listeners.Add(listener);
            if (_run is null)
            {
                _run = new CancellationTokenSource();
                _loop = RunAsync(_run.Token);
            }
        }
        return new Registration(this, listener);
    }

    private void Remove(Action<IncidentSignal> listener)
    {
        CancellationTokenSource? stop = null;
        lock (_gate)
        {
            _listeners.Remove(listener);
            if (_listeners.Count == 0)
            {
                stop = _run;
                _run = null;
            }
        }
        stop?.Cancel();
    }

    private void Raise(IncidentSignal signal)
    {
        Action<IncidentSignal>[] listeners;
        lock (_gate) listeners = [.. _listeners];
        foreach (var listener in listeners) listener(signal);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.FromSeconds(1);
        var reconnect = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, Path);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                if (_lastEventId is { } last) request.Headers.Add("Last-Event-ID", last.ToString(CultureInfo.InvariantCulture));
                // In the browser, hand the body over as it arrives instead of after the response ends.
                request.SetBrowserResponseStreamingEnabled(true);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                if (response.IsSuccessStatusCode)
                {
                    IsLive = true;
                    backoff = TimeSpan.FromSeconds(1);
                    if (reconnect) Raise(new IncidentSignal("", Resynced, null));
                    await using var body = await response.Content.ReadAsStreamAsync(ct);
                    await ReadEventsAsync(body, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                // The server went away or the connection dropped: try again after the back-off.
            }
            IsLive = false;
            reconnect = true;
            try
            {
                await Task.Delay(backoff, time, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
        IsLive = false;
    }

    /// <summary>Parses <c>id:</c>, <c>event:</c> and <c>data:</c> fields; a blank line ends an event. Comments (heartbeats) are skipped.</summary>
    internal async Task ReadEventsAsync(Stream body, CancellationToken ct)
    {
        using var reader = new StreamReader(body);
        string? type = null, data = null;
        long? id = null;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (id is { } seq) _lastEventId = seq;
                if (type is not null) Raise(Parse(type, data));
                type = data = null;
                id = null;
                continue;
            }
            if (line[0] == ':') continue;
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed):
                    id = parsed;
                    break;
                case "event":
                    type = value;
                    break;
                case "data" when value.Length <= MaxDataChars:
                    data = data is null ? value : data + "\n" + value;
                    break;
            }
        }
    }

    /// <summary>
    /// The server writes <c>event: {topic}</c> and <c>data: {"type": ..., "data": {payload}}</c>; a
    /// <c>reset</c> event (the stream fell too far behind) becomes <see cref="Resynced"/>.
    /// </summary>
    internal static IncidentSignal Parse(string topic, string? data)
    {
        if (topic == "reset") return new IncidentSignal("", Resynced, null);
        if (string.IsNullOrEmpty(data)) return new IncidentSignal(topic, "", null);
        try
        {
            using var doc = JsonDocument.Parse(data);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return new IncidentSignal(topic, "", null);
            var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
            long? incident = null;
            if (root.TryGetProperty("data", out var payload) && payload.ValueKind == JsonValueKind.Object)
            {
                foreach (var name in (ReadOnlySpan<string>)["incidentId", "suppressedByIncidentId"])
                {
                    if (payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n))
                    {
                        incident = n;
                        break;
                    }
                }
            }
            return new IncidentSignal(topic, type, incident);
        }
        catch (JsonException)
        {
            return new IncidentSignal(topic, "", null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        CancellationTokenSource? stop;
        lock (_gate)
        {
            _listeners.Clear();
            stop = _run;
            _run = null;
        }
        stop?.Cancel();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed class Registration(IncidentEventStream owner, Action<IncidentSignal> listener) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Remove(listener);
        }
    }
}
