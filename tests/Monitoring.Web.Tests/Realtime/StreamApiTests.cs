using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Realtime;

public sealed class StreamApiTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private MonitoringHost _host = null!;
    private TargetServer _target = null!;

    public async Task InitializeAsync()
    {
        _target = await TargetServer.StartAsync();
        _host = new MonitoringHost(_dir.Path, new Dictionary<string, string?> { ["Monitoring:Stream:HeartbeatSeconds"] = "1" });
        _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _target.DisposeAsync();
        _dir.Dispose();
    }

    private sealed record SseEvent(long Id, string Event, JsonElement Data);

    /// <summary>An open SSE response read event by event.</summary>
    private sealed class SseReader(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        public List<string> Comments { get; } = [];

        public static async Task<SseReader> OpenAsync(HttpClient client, string url, string? lastEventId = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
            return new SseReader(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
        }

        public async Task<SseEvent> NextAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            long id = 0;
            string? name = null, data = null;
            while (true)
            {
                var line = await reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException();
                if (line.Length == 0)
                {
                    if (data is not null) return new SseEvent(id, name ?? "message", JsonDocument.Parse(data).RootElement);
                    continue;
                }
                if (line.StartsWith(':')) { Comments.Add(line); continue; }
                if (line.StartsWith("id: ", StringComparison.Ordinal)) id = long.Parse(line[4..]);
                else if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
            }
        }

        public async Task<SseEvent> NextMatchingAsync(Func<SseEvent, bool> match, List<SseEvent> seen, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                var e = await NextAsync(deadline - DateTime.UtcNow);
                seen.Add(e);
                if (match(e)) return e;
            }
        }

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
        }
    }

    private static string TypeOf(SseEvent e) => e.Data.GetProperty("type").GetString()!;

    [Fact]
    public async Task AClientThatReconnectsWithLastEventIdMissesNothing()
    {
        var client = _host.CreateClient();
        var id = await client.CreateServiceAsync(new { name = "sse", type = "http", target = _target.Url, intervalSeconds = 1, timeoutMs = 900 });
        await client.WaitForStatusAsync(id, "healthy");

        var seen = new List<SseEvent>();
        var first = await SseReader.OpenAsync(client, "/api/v1/stream?topics=status,incidents");
        await _target.DownAsync();
        await first.NextMatchingAsync(e => e.Event == "incidents" && TypeOf(e) == "incident.opened", seen, TimeSpan.FromSeconds(20));
        Assert.Contains(seen, e => e.Event == "status" && e.Data.GetProperty("data").GetProperty("status").GetString() == "unhealthy");
        var lastId = seen[^1].Id;
        first.Dispose();

        // While nobody listens, the service recovers and the incident closes.
        await _target.UpAsync();
        await Eventually.WaitAsync(() => client.IncidentsAsync(id), l => l.All(i => i.GetProperty("status").GetString() == "resolved"),
            TimeSpan.FromSeconds(20), "the incident to close");

        var second = await SseReader.OpenAsync(client, "/api/v1/stream?topics=status,incidents", lastId.ToString());
        await second.NextMatchingAsync(e => e.Event == "incidents" && TypeOf(e) == "incident.resolved", seen, TimeSpan.FromSeconds(20));
        second.Dispose();

        // Ids strictly increase, and every stored event after the first one seen was delivered.
        var ids = seen.Select(e => e.Id).ToList();
        Assert.Equal(ids.OrderBy(x => x).Distinct(), ids);
        var stored = await StoredSeqsAsync(seen[0].Id, ids[^1]);
        Assert.Equal(stored, ids);
    }

    [Fact]
    public async Task HeartbeatsKeepAnIdleStreamOpen()
    {
        var client = _host.CreateClient();
        using var sse = await SseReader.OpenAsync(client, "/api/v1/stream?topics=alerts");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sse.NextAsync(TimeSpan.FromSeconds(3)));
        Assert.Contains(": heartbeat", sse.Comments);
    }

    [Theory]
    [InlineData("/api/v1/stream?topics=weather")]
    [InlineData("/api/v1/stream?topics=status&lastEventId=yesterday")]
    public async Task BadRequestsAre400Problems(string url)
    {
        var response = await _host.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    private async Task<List<long>> StoredSeqsAsync(long from, long to)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir.Path, "monitoring.db")}");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT Seq FROM stream_events WHERE Seq >= $from AND Seq <= $to AND Topic IN ('status','incidents') ORDER BY Seq";
        cmd.Parameters.AddWithValue("$from", from);
        cmd.Parameters.AddWithValue("$to", to);
        var list = new List<long>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) list.Add(reader.GetInt64(0));
        return list;
    }
}
