using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Monitoring.Core.Metrics;
using Monitoring.Web.Hosting;
using Monitoring.Web.Security;
using Monitoring.Web.Services;

namespace Monitoring.Web.Metrics;

public sealed record IngestAccepted(int Accepted);

public sealed record MetricSampleResponse(string Name, string Type, string Service, IReadOnlyDictionary<string, string> Labels, DateTimeOffset Timestamp, double Value);

/// <summary><c>/api/v1/metrics</c>: ingest (group commit, 429 when behind), raw, bucketed, stats and recent.</summary>
public static class MetricsApi
{
    public const int MaxRecent = 1000;

    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        // Authorization per endpoint: policies on a group and an endpoint would both apply, and an
        // ingest key must be able to push without being a reader.
        var api = app.MapGroup("/api/v1/metrics").WithTags("Metrics");
        api.MapPost("/", Ingest).WithName("IngestMetrics").WithSummary("Push one sample or an array (up to 10,000); 202 once durable")
            .Accepts<MetricSampleInput[]>("application/json").RequireAuthorization(Policies.CanIngest);
        api.MapGet("/", ListSamples).WithName("ListMetricSamples").WithSummary("Raw samples, newest first").RequireAuthorization(Policies.CanRead);
        api.MapGet("/query", Query).WithName("QueryMetrics").WithSummary("Bucketed series: agg avg|min|max|sum|count|p50|p95|p99 per step").RequireAuthorization(Policies.CanRead);
        api.MapGet("/stats", Stats).WithName("MetricStats").WithSummary("Per metric over a rolling window: avg, min, max, count, last").RequireAuthorization(Policies.CanRead);
        api.MapGet("/recent", Recent).WithName("RecentMetricSamples").WithSummary("The newest samples").RequireAuthorization(Policies.CanRead);
        return app;
    }

    public static async Task<Results<Accepted<IngestAccepted>, ValidationProblem, ProblemHttpResult>> Ingest(
        HttpContext context, MetricSampleWriter writer, MetricSeriesCatalog catalog, IngestParser parser, AppMetrics metrics,
        IOptions<MonitoringOptions> options, TimeProvider time, CancellationToken ct)
    {
        var o = options.Value.Metrics;
        var request = context.Request;
        if (!request.HasJsonContentType())
            return ProblemResults.Validation(new Dictionary<string, string[]> { ["body"] = ["The body must be JSON (Content-Type: application/json)."] });
        var maxBytes = Math.Max(1L << 20, o.MaxSamplesPerRequest * 2048L);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxBytes;
        if (request.ContentLength > maxBytes) return TooLarge($"The body is larger than {maxBytes} bytes.");

        // The body goes into a pooled buffer (no per-request large-object allocation).
        var body = ArrayPool<byte>.Shared.Rent(request.ContentLength is { } len ? (int)len + 1 : 64 * 1024);
        IngestSample[]? rented = null;
        try
        {
            var length = 0;
            try
            {
                while (true)
                {
                    if (length == body.Length)
                    {
                        if (length > maxBytes) return TooLarge($"The body is larger than {maxBytes} bytes.");
                        var bigger = ArrayPool<byte>.Shared.Rent(body.Length * 2);
                        body.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(body);
                        body = bigger;
                    }
                    var n = await request.Body.ReadAsync(body.AsMemory(length), ct);
                    if (n == 0) break;
                    length += n;
                }
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return TooLarge($"The body is larger than {maxBytes} bytes.");
            }
            if (length > maxBytes) return TooLarge($"The body is larger than {maxBytes} bytes.");

            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var oldest = now - options.Value.Retention.RawSamplesHours * 3_600_000L;
            var newest = now + o.MaxFutureSeconds * 1000L;
            Dictionary<string, string[]>? errors = null;
            IngestSample[] samples;
            int count;
            if (parser.TryRead(body.AsSpan(0, length), now, oldest, newest, o.MaxSamplesPerRequest, out samples, out count))
            {
                rented = samples;
                errors = CheckSeriesCapacity(samples.AsSpan(0, count), catalog);
            }
            else
            {
                // The general path: anything the fast parser is not sure about, and every bad request.
                var (inputs, jsonErrors) = Parse(body.AsSpan(0, length));
                if (inputs is null)
                {
                    metrics.SamplesRejected(1);
                    return ProblemResults.Validation(jsonErrors!);
                }
                if (inputs.Length > o.MaxSamplesPerRequest) return TooLarge($"At most {o.MaxSamplesPerRequest} samples per request; this one has {inputs.Length}.");
                if (inputs.Length == 0) return ProblemResults.Validation(new Dictionary<string, string[]> { ["body"] = ["At least one sample is required."] });
                errors = new Dictionary<string, string[]>();
                var valid = MetricSampleValidator.Validate(inputs, now, oldest, newest, errors);
                samples = valid is null ? [] : IngestSample.From(valid);
                count = inputs.Length;
                if (valid is not null) errors = CheckSeriesCapacity(samples, catalog) ?? errors;
                if (errors.Count == 0) errors = null;
            }
            if (errors is not null)
            {
                metrics.SamplesRejected(count);
                return ProblemResults.Validation(errors);
            }

            if (!writer.TryEnqueue(samples, count, out var durable))
            {
                metrics.IngestThrottled();
                context.Response.Headers.RetryAfter = o.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ProblemResults.Status(StatusCodes.Status429TooManyRequests, "The metric writer is behind.",
                    $"Retry after {o.RetryAfterSeconds} s; nothing of this request was stored.");
            }
            try
            {
                // Group commit: answer only once the batch holding these samples is committed.
                await durable;
            }
            catch (Exception)
            {
                return ProblemResults.Status(StatusCodes.Status503ServiceUnavailable, "The samples could not be stored.", "Nothing of this request was stored; retry.");
            }
            return TypedResults.Accepted((string?)null, new IngestAccepted(count));
        }
        finally
        {
            // The writer is done with the samples once 'durable' completed (or they were never queued).
            if (rented is not null) IngestParser.Return(rented);
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    private static ProblemHttpResult TooLarge(string detail) =>
        ProblemResults.Status(StatusCodes.Status413PayloadTooLarge, "The request is too large.", detail);

    internal static (MetricSampleInput?[]? Inputs, Dictionary<string, string[]>? Errors) Parse(ReadOnlySpan<byte> json)
    {
        var start = 0;
        while (start < json.Length && json[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF) start++;
        try
        {
            if (start < json.Length && json[start] == (byte)'[')
                return (JsonSerializer.Deserialize(json, MetricsJson.Default.MetricSampleInputArray) ?? [], null);
            if (start < json.Length && json[start] == (byte)'{')
                return ([JsonSerializer.Deserialize(json, MetricsJson.Default.MetricSampleInput)], null);
            return (null, new() { ["body"] = ["The body must be a sample object or an array of samples."] });
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return (null, new() { [field] = ["The value is not valid JSON of the expected type (a finite number for value, strings for labels, ISO 8601 for timestamp)."] });
        }
    }

    /// <summary>Null when the new series of this request fit under the series limit; else the error for the first that does not.</summary>
    private static Dictionary<string, string[]>? CheckSeriesCapacity(ReadOnlySpan<IngestSample> samples, MetricSeriesCatalog catalog)
    {
        var room = catalog.Capacity - catalog.Count;
        HashSet<string>? fresh = null;
        for (var i = 0; i < samples.Length; i++)
        {
            if (samples[i].Identity.TryResolve(catalog, out _)) continue;
            fresh ??= new HashSet<string>(StringComparer.Ordinal);
            if (fresh.Add(samples[i].Identity.Key) && fresh.Count > room)
                return new() { [$"[{i}].name"] = [$"The series limit ({catalog.Capacity}, Monitoring:Metrics:MaxSeries) is reached; this sample would start a new series."] };
        }
        return null;
    }

    public static async Task<Results<Ok<List<MetricSampleResponse>>, ValidationProblem>> ListSamples(
        string? service, string? name, string? labels, string? from, string? to, int? limit,
        MetricQueries queries, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var fromMs = QueryParsing.ParseTime(from, "from", errors);
        var toMs = QueryParsing.ParseTime(to, "to", errors);
        var matchers = LabelMatcher.TryParse(labels, out var labelError);
        if (labelError is not null) errors["labels"] = [labelError];
        ServicesApi.TryPage(limit, 0, errors, out var take, out _);
        if (fromMs > toMs) errors["from"] = ["'from' must not be after 'to'."];
        if (errors.Count > 0) return ProblemResults.Validation(errors);
        return TypedResults.Ok(await queries.RawAsync(name, service, matchers!, fromMs ?? 0, toMs ?? long.MaxValue, take, ct));
    }

    public static async Task<Results<Ok<BucketedResponse>, ValidationProblem>> Query(
        string? name, string? labels, string? service, string? from, string? to, string? step, string? agg,
        MetricQueries queries, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name)) errors["name"] = ["The metric name is required."];
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var toMs = QueryParsing.ParseTime(to, "to", errors) ?? now;
        var fromMs = QueryParsing.ParseTime(from, "from", errors) ?? toMs - 3_600_000;
        if (fromMs >= toMs) errors["from"] = ["'from' must be before 'to'."];
        var matchers = LabelMatcher.TryParse(labels, out var labelError);
        if (labelError is not null) errors["labels"] = [labelError];
        agg ??= "avg";
        if (!Aggregations.TryParse(agg, out var aggregation)) errors["agg"] = [$"Unknown aggregation '{agg}'; one of {string.Join(", ", Aggregations.All)}."];
        long stepMs = 0;
        if (step is not null && !Durations.TryParseMs(step, out stepMs)) errors["step"] = [$"'{step}' is not a duration (e.g. 60s, 5m, 1h)."];
        if (errors.Count > 0) return ProblemResults.Validation(errors);
        if (stepMs == 0) stepMs = Math.Max(1_000, (toMs - fromMs) / 250);
        if ((toMs - fromMs) / stepMs > MetricQueries.MaxPoints)
            return ProblemResults.Validation(new Dictionary<string, string[]> { ["step"] = [$"At most {MetricQueries.MaxPoints} points per series; use a larger step."] });
        return TypedResults.Ok(await queries.BucketedAsync(name!, service, matchers!, fromMs, toMs, stepMs, aggregation, ct));
    }

    public static async Task<Results<Ok<List<MetricStats>>, ValidationProblem>> Stats(
        string? window, string? name, string? labels, MetricQueries queries, IOptions<MonitoringOptions> options, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        long windowMs = 60_000;
        var maxMs = options.Value.Retention.RawSamplesHours * 3_600_000L;
        if (window is not null && (!Durations.TryParseMs(window, out windowMs) || windowMs > maxMs))
            errors["window"] = [$"'{window}' is not a duration up to the raw retention ({options.Value.Retention.RawSamplesHours} h), e.g. 60s, 5m, 1h."];
        var matchers = LabelMatcher.TryParse(labels, out var labelError);
        if (labelError is not null) errors["labels"] = [labelError];
        if (errors.Count > 0) return ProblemResults.Validation(errors);
        return TypedResults.Ok(await queries.StatsAsync(windowMs, name, matchers!, ct));
    }

    public static Results<Ok<List<MetricSampleResponse>>, ValidationProblem> Recent(int? count, RecentSamples recent, MetricSeriesCatalog catalog)
    {
        var n = count ?? 100;
        if (n is < 1 or > MaxRecent)
            return ProblemResults.Validation(new Dictionary<string, string[]> { ["count"] = [$"Count must be between 1 and {MaxRecent}."] });
        var list = new List<MetricSampleResponse>(n);
        foreach (var (id, ts, value) in recent.Newest(n))
            if (catalog.TryGet(id, out var s)) list.Add(s.ToResponse(ts, value));
        return TypedResults.Ok(list);
    }

    internal static MetricSampleResponse ToResponse(this SeriesInfo s, long ts, double value) =>
        new(s.Name, s.Type.ToApi(), s.Service, s.LabelsDictionary(), DateTimeOffset.FromUnixTimeMilliseconds(ts), value);
}
