using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Monitoring.Web.Data;
using Monitoring.Web.Hosting;
using Monitoring.Web.Security;

namespace Monitoring.Web.Realtime;

/// <summary>
/// <c>GET /api/v1/stream?topics=alerts,incidents,status</c>: Server-Sent Events for any HTTP
/// client. The <c>id:</c> of each event is its sequence in the store; a client that reconnects
/// with <c>Last-Event-ID</c> first gets everything it missed from the store, then live events,
/// without gaps or repeats. A comment line every 15 s keeps proxies from closing an idle stream.
/// </summary>
public static class StreamApi
{
    public static IEndpointRouteBuilder MapStreamApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/stream", Stream).WithTags("Live").WithName("Stream")
            .WithSummary("Server-Sent Events of status changes, incidents and alerts; resumes with Last-Event-ID")
            .RequireAuthorization(Policies.CanRead);
        // The other plain-HTTP entry to the live data; mapped here so Hosting needs no change.
        app.MapGridApi();
        return app;
    }

    public static async Task Stream(HttpContext http, string? topics, string? lastEventId, StreamBroadcaster broadcaster,
        SessionRevocation sessions, IOptions<MonitoringOptions> options, TimeProvider time, IHostApplicationLifetime lifetime)
    {
        var requested = (topics ?? string.Join(',', StreamTopics.All)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.ToLowerInvariant()).ToHashSet();
        var unknown = requested.Where(t => !StreamTopics.All.Contains(t)).ToList();
        if (requested.Count == 0 || unknown.Count > 0)
        {
            await ProblemWriter.WriteAsync(http, 400, "The request is not valid.", $"Unknown topics: {string.Join(", ", unknown)}; allowed: {string.Join(", ", StreamTopics.All)}.");
            return;
        }
        var resumeText = http.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? lastEventId;
        long? resumeFrom = null;
        if (!string.IsNullOrEmpty(resumeText))
        {
            if (!long.TryParse(resumeText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                await ProblemWriter.WriteAsync(http, 400, "The request is not valid.", "Last-Event-ID must be a sequence number from this stream.");
                return;
            }
            resumeFrom = parsed;
        }

        // Subscribe before reading the store, so nothing committed in between is missed;
        // duplicates are dropped by sequence number.
        using var subscription = broadcaster.Subscribe(requested);
        if (subscription is null)
        {
            http.Response.Headers.RetryAfter = "5";
            await ProblemWriter.WriteAsync(http, 503, "Too many streams.", "The server holds its maximum of live streams; retry shortly.");
            return;
        }
        // Ends when the client goes, the server stops, or the caller's session is revoked.
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        using var tracked = sessions.Track(http.User, "sse:" + http.TraceIdentifier, () => aborted.Cancel());
        var ct = aborted.Token;

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var body = http.Response.Body;
        var stream = options.Value.Stream;
        long lastSent = 0;
        try
        {
            await WriteAsync(body, $"retry: 2000\n: connected\n\n", ct);
            if (resumeFrom is { } from)
            {
                var (missed, truncated) = await ReadSinceAsync(options.Value, from, requested, stream.MaxReplay, ct);
                if (truncated)
                    await WriteAsync(body, "event: reset\ndata: {\"reason\":\"too far behind; fetch a fresh snapshot\"}\n\n", ct);
                foreach (var e in missed)
                {
                    await WriteEventAsync(body, e, ct);
                    lastSent = e.Seq;
                }
            }
            await body.FlushAsync(ct);

            using var heartbeat = new PeriodicTimer(TimeSpan.FromSeconds(stream.HeartbeatSeconds), time);
            var tick = heartbeat.WaitForNextTickAsync(ct).AsTask();
            while (!ct.IsCancellationRequested)
            {
                var read = subscription.Reader.WaitToReadAsync(ct).AsTask();
                var done = await Task.WhenAny(read, tick);
                if (done == tick)
                {
                    if (!await tick) break;
                    await WriteAsync(body, ": heartbeat\n\n", ct);
                    await body.FlushAsync(ct);
                    tick = heartbeat.WaitForNextTickAsync(ct).AsTask();
                    continue;
                }
                if (!await read) break; // overflowed or disposed: the client resumes with Last-Event-ID
                while (subscription.Reader.TryRead(out var e))
                {
                    if (e.Seq <= lastSent) continue;
                    await WriteEventAsync(body, e, ct);
                    lastSent = e.Seq;
                }
                await body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away, or its session was revoked.
        }
    }

    private static Task WriteEventAsync(Stream body, StreamEvent e, CancellationToken ct) =>
        WriteAsync(body, $"id: {e.Seq.ToString(CultureInfo.InvariantCulture)}\nevent: {e.Topic}\ndata: {{\"type\":\"{e.Type}\",\"data\":{e.PayloadJson}}}\n\n", ct);

    private static async Task WriteAsync(Stream body, string text, CancellationToken ct) => await body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);

    private static async Task<(List<StreamEvent> Events, bool Truncated)> ReadSinceAsync(MonitoringOptions options, long afterSeq, IReadOnlySet<string> topics, int max, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(SqliteSetup.ConnectionString(options));
        await connection.OpenAsync(ct);
        await using var cmd = connection.CreateCommand();
        var names = topics.Select((t, i) => (t, $"$t{i}")).ToList();
        cmd.CommandText = $"SELECT Seq, Topic, Type, AtMs, PayloadJson FROM stream_events WHERE Seq > $after AND Topic IN ({string.Join(",", names.Select(n => n.Item2))}) ORDER BY Seq DESC LIMIT $limit";
        cmd.Parameters.AddWithValue("$after", afterSeq);
        cmd.Parameters.AddWithValue("$limit", max + 1);
        foreach (var (t, n) in names) cmd.Parameters.AddWithValue(n, t);
        var list = new List<StreamEvent>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            list.Add(new StreamEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4)));
        list.Reverse();
        // More than max missed: send the newest max after a reset marker rather than an unbounded replay.
        return list.Count > max ? (list[^max..], true) : (list, false);
    }
}
