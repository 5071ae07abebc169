using System.Net;
using System.Text;

namespace Monitoring.Client.Tests;

/// <summary>
/// Stands in for the server's REST API: canned JSON per "VERB path?query" (or path alone, any
/// query), 404 for anything else. Records every request so tests can assert what was asked.
/// </summary>
public sealed class FakeHttpHandler : HttpMessageHandler
{
    private readonly Dictionary<string, Func<HttpRequestMessage, HttpResponseMessage>> _routes = new(StringComparer.Ordinal);
    private readonly List<string> _requests = [];
    private readonly Lock _lock = new();

    public static readonly Uri BaseAddress = new("http://monitoring.test/");

    public IReadOnlyList<string> Requests { get { lock (_lock) return [.. _requests]; } }

    /// <summary>Answers <paramref name="pathAndQuery"/> (e.g. <c>GET api/v1/services/1</c>) with <paramref name="json"/>.</summary>
    public FakeHttpHandler Json(string route, string json, HttpStatusCode status = HttpStatusCode.OK)
    {
        lock (_lock) _routes[route] = _ => new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return this;
    }

    public FakeHttpHandler Status(string route, HttpStatusCode status)
    {
        lock (_lock) _routes[route] = _ => new HttpResponseMessage(status);
        return this;
    }

    public int Count(string prefix) => Requests.Count(r => r.StartsWith(prefix, StringComparison.Ordinal));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath.TrimStart('/');
        var full = $"{request.Method} {path}{request.RequestUri.Query}";
        Func<HttpRequestMessage, HttpResponseMessage>? route;
        lock (_lock)
        {
            _requests.Add(full);
            if (!_routes.TryGetValue(full, out route)) _routes.TryGetValue($"{request.Method} {path}", out route);
        }
        return Task.FromResult(route?.Invoke(request) ?? new HttpResponseMessage(HttpStatusCode.NotFound));
    }
}
