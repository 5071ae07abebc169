using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Monitoring.Core.Services;
using Monitoring.Web.Security;

namespace Monitoring.Web.Checks;

/// <summary>
/// GETs the target through the shared "checks" client. Healthy on 2xx/3xx unless
/// <c>statusCode</c> conditions say otherwise; every other condition must hold too.
/// Latency is the time to the response headers, so it means the same whether or not a body
/// condition makes the checker read the body afterwards.
/// </summary>
/// <remarks>
/// Conditions: <c>statusCode</c> value is a comma list of codes or classes (<c>200,204,3xx</c>);
/// <c>bodyContains</c> is an ordinal (case-sensitive) substring test; <c>jsonPath</c> compares the
/// selected value's text (strings unquoted) for equality, numerically when both sides are numbers,
/// and <c>&gt;</c>/<c>&lt;</c>-style operators need numbers; <c>header</c> matches the header name
/// case-insensitively and passes when a value <em>contains</em> the expected text ignoring case
/// (<c>==</c> asks for the whole value instead); <c>latencyMs</c> defaults to <c>&lt;=</c>.
/// <c>!=</c> negates the text conditions (status not in list, body must not contain, ...).
/// Every connection, the first and each redirect hop, is opened through the
/// <see cref="OutboundPolicy"/>; a blocked hop makes the check unhealthy, naming the rule.
/// </remarks>
public sealed class HttpChecker(IHttpClientFactory clients) : IChecker
{
    public const string ClientName = "checks";
    /// <summary>At most this much body is read for body conditions; a check is not a download.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public ServiceType Type => ServiceType.Http;

    /// <summary>
    /// The one handler behind every HTTP check (see <see cref="CheckerRegistration"/>). It connects
    /// through <paramref name="outbound"/>, directly (no proxy), and only over HTTP/1.1 and 2:
    /// HTTP/3 (QUIC) would bypass the connect callback, and requests never ask for it.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(OutboundPolicy outbound, int maxConnectionsPerHost = 256) => outbound.Apply(new()
    {
        // Rotating pooled connections picks up DNS changes without the factory recycling handlers.
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
        // Bounded (Monitoring:Checks:MaxConnectionsPerHost) but high: with a low cap, a slow host
        // makes its checks queue for a connection while holding concurrency slots (seen in the load test).
        MaxConnectionsPerServer = maxConnectionsPerHost,
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 5,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.All,
    });

    public async Task<CheckOutcome> CheckAsync(ServiceDefinition service, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(ClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, service.Target);
        AddTraceHeaders(request);
        var requested = request.RequestUri;

        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex) when (OutboundPolicy.FindBlocked(ex) is { } blocked)
        {
            // The handler follows redirects itself and has moved RequestUri to the hop it tried.
            var hop = request.RequestUri is { } uri && uri != requested ? $" Redirected to {uri}." : "";
            return CheckOutcome.Down(Stopwatch.GetElapsedTime(started).TotalMilliseconds, blocked.Message + hop);
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The outer message names the endpoint ("Connection refused (host:port)"); the innermost
            // one says what went wrong when the outer is generic ("The SSL connection could not ...").
            var inner = ex.GetBaseException().Message;
            var message = ex.Message.Contains(inner, StringComparison.Ordinal) ? ex.Message : $"{ex.Message} {inner}";
            return CheckOutcome.Down(Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"Request failed: {message}");
        }

        using (response)
        {
            var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var code = (int)response.StatusCode;
            var statusText = $"HTTP {code}{(string.IsNullOrEmpty(response.ReasonPhrase) ? "" : " " + response.ReasonPhrase)}";

            var statusConditions = service.OfKind(ConditionRules.StatusCode).ToList();
            if (statusConditions.Count == 0)
            {
                if (code is < 200 or >= 400) return CheckOutcome.Down(latency, $"{statusText}: expected 2xx or 3xx.", code);
            }
            else if (statusConditions.FirstOrDefault(c => StatusMatches(code, c.Value) == c.IsNegated()) is { } failedStatus)
            {
                return CheckOutcome.Down(latency, failedStatus.Failed(code.ToString()), code);
            }

            Body? body = null;
            foreach (var condition in service.Conditions)
            {
                string? failure;
                if (condition.Is(ConditionRules.BodyContains))
                {
                    body ??= await ReadBodyAsync(response, cancellationToken);
                    var found = body.Text.Contains(condition.Value, StringComparison.Ordinal);
                    failure = found == condition.IsNegated()
                        ? $"Condition failed: body {(condition.IsNegated() ? "contains" : "does not contain")} '{condition.Value}'{body.TruncatedNote}."
                        : null;
                }
                else if (condition.Is(ConditionRules.JsonPath))
                {
                    body ??= await ReadBodyAsync(response, cancellationToken);
                    failure = JsonPathFailure(condition, body);
                }
                else if (condition.Is(ConditionRules.Header))
                {
                    failure = HeaderFailure(condition, response);
                }
                else if (condition.Is(ConditionRules.LatencyMs))
                {
                    failure = condition.Holds(latency, "<=") ? null : condition.Failed($"{latency:F0} ms", "<=");
                }
                else continue; // statusCode handled above; other kinds belong to other checkers
                if (failure is not null) return CheckOutcome.Down(latency, failure, code);
            }
            return CheckOutcome.Up(latency, statusText, code);
        }
    }

    /// <summary>
    /// Sets <c>traceparent</c> and <c>X-Request-ID</c> from the check's activity. Done by hand
    /// because the handler's own propagation only runs when a diagnostics listener is attached;
    /// it never overwrites a header that is already there.
    /// </summary>
    internal static void AddTraceHeaders(HttpRequestMessage request)
    {
        string traceparent, traceId;
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } id } activity)
        {
            traceparent = id;
            traceId = activity.TraceId.ToHexString();
            if (!string.IsNullOrEmpty(activity.TraceStateString)) request.Headers.TryAddWithoutValidation("tracestate", activity.TraceStateString);
        }
        else
        {
            // Called outside the executor (a test, a one-off): still send a well-formed pair.
            var trace = ActivityTraceId.CreateRandom();
            traceparent = $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";
            traceId = trace.ToHexString();
        }
        request.Headers.TryAddWithoutValidation("traceparent", traceparent);
        request.Headers.TryAddWithoutValidation("X-Request-ID", traceId);
    }

    /// <summary>Whether <paramref name="code"/> is in a list like <c>200, 204, 3xx</c>.</summary>
    internal static bool StatusMatches(int code, string list)
    {
        foreach (var raw in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw.Length == 3 && char.IsAsciiDigit(raw[0]) && raw.EndsWith("xx", StringComparison.OrdinalIgnoreCase))
            {
                if (code / 100 == raw[0] - '0') return true;
            }
            else if (int.TryParse(raw, out var exact) && exact == code) return true;
        }
        return false;
    }

    private static string? JsonPathFailure(CheckCondition condition, Body body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.Bytes);
        }
        catch (JsonException)
        {
            return $"Condition failed: {condition.Describe()} (body is not valid JSON{body.TruncatedNote}).";
        }
        using (document)
        {
            if (!JsonPathEvaluator.TrySelect(document.RootElement, condition.Key ?? "$", out var element, out var error))
                return $"Condition failed: {condition.Describe()} ({error}).";
            var actual = JsonPathEvaluator.ToText(element);
            return JsonValueHolds(condition, actual) ? null : condition.Failed($"'{Shorten(actual)}'");
        }
    }

    private static bool JsonValueHolds(CheckCondition condition, string actual)
    {
        var op = condition.Op ?? "==";
        var numeric = ConditionRules.TryParseNumber(actual, out var a) & ConditionRules.TryParseNumber(condition.Value, out var e);
        if (op is "==" or "!=")
        {
            var equal = numeric ? a == e : string.Equals(actual, condition.Value, StringComparison.Ordinal);
            return equal == (op == "==");
        }
        return numeric && CheckCondition.Compare(a, op, e);
    }

    private static string? HeaderFailure(CheckCondition condition, HttpResponseMessage response)
    {
        var name = condition.Key ?? "";
        // HttpHeaders lookups are case-insensitive already; content headers live on the content.
        IEnumerable<string>? values = null;
        if (!response.Headers.TryGetValues(name, out values)) response.Content.Headers.TryGetValues(name, out values);
        var list = values?.ToList() ?? [];
        var exact = condition.Op == "==";
        var matched = list.Any(v => exact
            ? string.Equals(v, condition.Value, StringComparison.OrdinalIgnoreCase)
            : v.Contains(condition.Value, StringComparison.OrdinalIgnoreCase));
        if (matched != condition.IsNegated()) return null;
        return list.Count == 0 && !condition.IsNegated()
            ? $"Condition failed: {condition.Describe()} (header '{name}' missing)."
            : condition.Failed($"'{Shorten(string.Join(", ", list))}'");
    }

    private static async Task<Body> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var declared = response.Content.Headers.ContentLength;
        var buffer = new byte[declared is > 0 and < MaxBodyBytes ? (int)declared.Value + 1 : 16 * 1024];
        var length = 0;
        while (length < MaxBodyBytes)
        {
            if (length == buffer.Length) Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxBodyBytes));
            var read = await stream.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, MaxBodyBytes) - length), cancellationToken);
            if (read == 0) break;
            length += read;
        }
        var truncated = length == MaxBodyBytes && (declared is null or > MaxBodyBytes);
        var bytes = buffer.AsMemory(0, length);
        // A UTF-8 byte order mark is not JSON; strip it for both text and JSON readers.
        if (bytes.Span.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        return new Body(bytes, Decode(bytes.Span, response.Content.Headers.ContentType), truncated);
    }

    private static string Decode(ReadOnlySpan<byte> bytes, MediaTypeHeaderValue? contentType)
    {
        var encoding = Encoding.UTF8;
        if (contentType?.CharSet is { Length: > 0 } charset)
        {
            try { encoding = Encoding.GetEncoding(charset.Trim('"')); }
            catch (ArgumentException) { } // unknown charset: UTF-8 is the best guess
        }
        return encoding.GetString(bytes);
    }

    private static string Shorten(string text) => text.Length > 100 ? text[..100] + "…" : text;

    private sealed record Body(ReadOnlyMemory<byte> Bytes, string Text, bool Truncated)
    {
        public string TruncatedNote => Truncated ? $", first {MaxBodyBytes / 1024} KiB read" : "";
    }
}
