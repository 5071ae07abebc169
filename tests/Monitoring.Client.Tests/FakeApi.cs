using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Monitoring.Client.Tests;

/// <summary>
/// Stands in for the server behind the app's <see cref="HttpClient"/>: canned JSON per method and
/// path, and a record of every request (with its body) for tests to inspect.
/// </summary>
public sealed class FakeApi : HttpMessageHandler
{
    public static readonly Uri BaseAddress = new("http://monitoring.test/");

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<(string Method, string Path), Func<HttpRequestMessage, HttpResponseMessage>> _routes = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    public sealed record RecordedRequest(string Method, string PathAndQuery, string? Body);

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>The live-dashboard tests' <see cref="FakeHttpHandler"/>, asked first.</summary>
    public HttpMessageHandler? Fallback { get; set; }

    public HttpClient CreateClient() => new(this) { BaseAddress = BaseAddress };

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> (no query) with <paramref name="body"/> as JSON from now on.</summary>
    public void Json(string method, string path, object body, HttpStatusCode status = HttpStatusCode.OK) =>
        _routes[(method, Normalize(path))] = _ => new HttpResponseMessage(status)
        {
            Content = new StringContent(body as string ?? JsonSerializer.Serialize(body, s_json), Encoding.UTF8, "application/json"),
        };

    public void NoContent(string method, string path) =>
        _routes[(method, Normalize(path))] = _ => new HttpResponseMessage(HttpStatusCode.NoContent);

    /// <summary>Answers with an RFC 9457 ProblemDetails body, as the server's refusals look.</summary>
    public void Problem(string method, string path, HttpStatusCode status, string title, Dictionary<string, string[]>? errors = null) =>
        _routes[(method, Normalize(path))] = _ => new HttpResponseMessage(status)
        {
            Content = new StringContent(JsonSerializer.Serialize(new { type = "about:blank", title, status = (int)status, errors, requestId = "test-request" }, s_json),
                Encoding.UTF8, "application/problem+json"),
        };

    public IEnumerable<RecordedRequest> RequestsTo(string method, string path) =>
        Requests.Where(r => r.Method == method && Normalize(r.PathAndQuery.Split('?')[0]) == Normalize(path));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        _requests.Enqueue(new RecordedRequest(request.Method.Method, request.RequestUri!.PathAndQuery, body));
        // Routes the live-dashboard tests set up live in the other fake, and they are set by the test
        // itself, so they win over this fake's defaults (such as "signed in as admin").
        if (Fallback is not null)
        {
            var answer = await new HttpMessageInvoker(Fallback, disposeHandler: false).SendAsync(request, cancellationToken);
            if (answer.StatusCode != HttpStatusCode.NotFound) return answer;
        }
        if (_routes.TryGetValue((request.Method.Method, Normalize(request.RequestUri.AbsolutePath)), out var respond)) return respond(request);
        return new HttpResponseMessage(HttpStatusCode.NotFound)
        {
            Content = new StringContent($$"""{"title":"No fake route for {{request.Method}} {{request.RequestUri.AbsolutePath}}.","status":404}""", Encoding.UTF8, "application/problem+json"),
        };
    }

    private static string Normalize(string path) => "/" + path.Trim('/');
}
