using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Monitoring.Client.Incidents;
using static Monitoring.Client.Tests.ApiData;
using static Monitoring.Client.Tests.ServiceData;

namespace Monitoring.Client.Tests.Incidents;

/// <summary>Serves the SSE stream: each request gets the next body, a pipe the test writes to (and completes to end the stream).</summary>
internal sealed class StreamHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Pipe> _bodies = new();
    public ConcurrentQueue<HttpRequestMessage> Requests { get; } = new();

    public Pipe Next()
    {
        var pipe = new Pipe();
        _bodies.Enqueue(pipe);
        return pipe;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        if (!_bodies.TryDequeue(out var pipe)) return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        var content = new StreamContent(pipe.Reader.AsStream());
        content.Headers.ContentType = new("text/event-stream");
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
    }

    public static async Task WriteAsync(Pipe pipe, string text)
    {
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));
        await pipe.Writer.FlushAsync();
    }

    /// <summary>One event in the server's format.</summary>
    public static string Event(long id, string topic, string type, string payload) =>
        $"id: {id}\nevent: {topic}\ndata: {{\"type\":\"{type}\",\"data\":{payload}}}\n\n";
}

public sealed class IncidentEventStreamTests
{
    private readonly StreamHandler _handler = new();
    private readonly FakeTimeProvider _time = new(T0);

    private IncidentEventStream Create() => new(new HttpClient(_handler) { BaseAddress = FakeHttpHandler.BaseAddress }, _time);

    [Fact]
    public async Task EventsReachListenersWithTheirIncident_HeartbeatsAreSkipped_AndAReconnectResumesFromTheLastId()
    {
        var first = _handler.Next();
        await using var stream = Create();
        var signals = new ConcurrentQueue<IncidentSignal>();
        using var listening = stream.Listen(signals.Enqueue);

        await StreamHandler.WriteAsync(first, ": heartbeat\n\n");
        await StreamHandler.WriteAsync(first, StreamHandler.Event(41, "incidents", "incident.updated", "{\"incidentId\":7,\"status\":\"identified\"}"));
        await StreamHandler.WriteAsync(first, StreamHandler.Event(42, "alerts", "alert.firing", "{\"id\":99,\"incidentId\":8,\"state\":\"firing\"}"));
        await StreamHandler.WriteAsync(first, StreamHandler.Event(43, "alerts", "alert.firing", "{\"id\":100,\"incidentId\":null}"));
        await Eventually.WaitAsync(() => signals.Count == 3);
        Assert.Equal([new("incidents", "incident.updated", 7), new("alerts", "alert.firing", 8), new("alerts", "alert.firing", null)], signals.ToArray());
        Assert.True(stream.IsLive);
        var request = Assert.Single(_handler.Requests);
        Assert.Equal("/" + IncidentEventStream.Path, request.RequestUri!.PathAndQuery);
        Assert.False(request.Headers.Contains("Last-Event-ID"));

        // The server goes away: after the back-off the stream comes back, asks for what it missed, and says so.
        var second = _handler.Next();
        await first.Writer.CompleteAsync();
        await Eventually.WaitAsync(() => !stream.IsLive);
        // The clock moves in small steps until the back-off (1 s) has passed, however late the loop starts waiting.
        await Eventually.WaitAsync(() =>
        {
            if (_handler.Requests.Count == 2 && signals.Count == 4) return true;
            _time.Advance(TimeSpan.FromMilliseconds(100));
            return false;
        });
        Assert.True(_time.GetUtcNow() - T0 >= TimeSpan.FromSeconds(1), "reconnected before the back-off");
        Assert.Equal("43", Assert.Single(_handler.Requests.Last().Headers.GetValues("Last-Event-ID")));
        Assert.Equal(IncidentEventStream.Resynced, signals.Last().Type);
        await StreamHandler.WriteAsync(second, StreamHandler.Event(44, "incidents", "incident.resolved", "{\"incidentId\":7}"));
        await Eventually.WaitAsync(() => signals.Count == 5);
        Assert.Equal(7, signals.Last().IncidentId);
    }

    [Fact]
    public async Task TheStreamCloses_WhenTheLastListenerLeaves()
    {
        var body = _handler.Next();
        await using var stream = Create();
        var a = stream.Listen(_ => { });
        var b = stream.Listen(_ => { });
        await Eventually.WaitAsync(() => stream.IsLive);

        a.Dispose();
        Assert.True(stream.IsLive);
        b.Dispose();

        await Eventually.WaitAsync(() => !stream.IsLive);
        Assert.Single(_handler.Requests);
    }

    [Fact]
    public void ListenersAreCapped()
    {
        _handler.Next();
        var stream = Create();
        var all = Enumerable.Range(0, IncidentEventStream.MaxListeners).Select(_ => stream.Listen(_ => { })).ToList();

        Assert.Throws<InvalidOperationException>(() => stream.Listen(_ => { }));
        all.ForEach(l => l.Dispose());
    }
}

/// <summary>The incident pages follow the stream instead of waiting for their next poll.</summary>
public sealed class IncidentPagesLiveTests : MonitoringTestContext
{
    private const string Timeline = "api/v1/incidents/5/timeline";
    private readonly StreamHandler _stream = new();
    private readonly FakeTimeProvider _time = new(T0.AddMinutes(5));

    public IncidentPagesLiveTests()
    {
        // Time stands still: any re-read below comes from an event, not from a timer.
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddScoped<IncidentWorkflowApi>();
        Services.AddScoped(_ => new IncidentEventStream(new HttpClient(_stream) { BaseAddress = FakeHttpHandler.BaseAddress }, _time));
        Feed.Snapshot = Snapshot(1, Service(1, "api"));
        Http.Json("GET api/v1/incidents/5", Incident(5, "api is down", "investigating", T0));
        Api.Json("GET", Timeline, new { incidentId = 5, from = T0.AddHours(-1), to = T0.AddMinutes(5), total = 1,
            entries = new[] { new { at = T0, type = "incident_opened", title = "Incident opened", serviceId = 1 } } });
    }

    [Fact]
    public async Task TheDetailPageReReadsOnAnEventNamingItsIncident_AndIgnoresOthers()
    {
        var body = _stream.Next();
        var cut = Render<IncidentDetailPage>(p => p.Add(x => x.Id, 5));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("#incident-timeline li")));
        cut.WaitForAssertion(() => Assert.Single(_stream.Requests));

        // Another incident's change: nothing to re-read.
        await StreamHandler.WriteAsync(body, StreamHandler.Event(10, "incidents", "incident.updated", "{\"incidentId\":6}"));
        // A teammate's note on this one: the page shows it without a tick of the clock.
        Api.Json("GET", Timeline, new { incidentId = 5, from = T0.AddHours(-1), to = T0.AddMinutes(5), total = 2,
            entries = new[]
            {
                new { at = T0, type = "incident_opened", title = "Incident opened", serviceId = 1 },
                new { at = T0.AddMinutes(4), type = "note", title = "Note by ana", serviceId = 1 },
            } });
        await StreamHandler.WriteAsync(body, StreamHandler.Event(11, "incidents", "incident.note_added", "{\"incidentId\":5}"));

        cut.WaitForAssertion(() => Assert.Equal(["incident_opened", "note"], cut.FindAll("#incident-timeline li").Select(e => e.GetAttribute("data-type"))));
        Assert.Equal(2, Api.RequestsTo("GET", Timeline).Count());
    }

    [Fact]
    public async Task TheListReloadsOnAnIncidentEvent()
    {
        var body = _stream.Next();
        Http.Json("GET api/v1/incidents/active", "[]");
        Http.Json("GET api/v1/incidents", "[]");
        var cut = RenderWithProviders<IncidentsPage>();
        cut.WaitForAssertion(() => Assert.Single(_stream.Requests));
        var before = Http.Count("GET api/v1/incidents/active");

        await StreamHandler.WriteAsync(body, StreamHandler.Event(12, "incidents", "incident.opened", "{\"incidentId\":9}"));

        cut.WaitForAssertion(() => Assert.True(Http.Count("GET api/v1/incidents/active") > before));
    }
}
