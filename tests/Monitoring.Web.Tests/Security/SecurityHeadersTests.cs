using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Security;

public sealed partial class SecurityHeadersTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private MonitoringHost _host = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _host = new MonitoringHost(_dir.Path);
        _client = SecurityTestCallers.Client(_host);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single()
        : response.Content.Headers.TryGetValues(name, out values) ? values.Single()
        : throw new Xunit.Sdk.XunitException($"{name} missing on {response.RequestMessage!.RequestUri} ({(int)response.StatusCode})");

    private static Dictionary<string, string> Directives(string csp) =>
        csp.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d[(d.IndexOf(' ') + 1)..]);

    private static void AssertCommonHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("same-origin", Header(response, "Cross-Origin-Opener-Policy"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        var csp = Directives(Header(response, "Content-Security-Policy"));
        Assert.Equal("'none'", csp["frame-ancestors"]);
        Assert.Equal("'none'", csp["object-src"]);
        Assert.Equal("'self'", csp["default-src"]);
    }

    [Theory]
    [InlineData("/health", HttpStatusCode.OK)]
    [InlineData("/api/v1/services", HttpStatusCode.OK)]
    [InlineData("/api/v1/services/424242", HttpStatusCode.NotFound)]
    [InlineData("/no/such/page", HttpStatusCode.NotFound)]
    public async Task EveryResponseCarriesTheHeadersWithAStrictPolicy(string path, HttpStatusCode status)
    {
        var response = await _client.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        AssertCommonHeaders(response);
        Assert.Equal(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
            + "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
            Header(response, "Content-Security-Policy"));
    }

    [Fact]
    public async Task AnErrorAnsweredByTheExceptionHandlerCarriesThemToo()
    {
        _host.BreakDatabase = true;
        var response = await _client.GetAsync("/api/v1/incidents");
        _host.BreakDatabase = false;
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        AssertCommonHeaders(response);
    }

    [Fact]
    public async Task TheAppPageAllowsItsImportMapByHashAndNoOtherInlineScript()
    {
        var response = await _client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertCommonHeaders(response);
        var scriptSrc = Directives(Header(response, "Content-Security-Policy"))["script-src"].Split(' ');
        Assert.DoesNotContain("'unsafe-inline'", scriptSrc);
        Assert.DoesNotContain("'unsafe-eval'", scriptSrc);
        Assert.Contains("'wasm-unsafe-eval'", scriptSrc);

        // Every inline script of the page is allowed by exactly one hash in the policy.
        var html = await response.Content.ReadAsStringAsync();
        var inline = InlineScripts().Matches(html).Select(m => m.Groups["body"].Value).Where(s => s.Length > 0).ToList();
        var hashes = scriptSrc.Where(s => s.StartsWith("'sha256-")).ToList();
        Assert.Contains("<script type=\"importmap\">", html); // the one inline script today (App.razor's <ImportMap />)
        Assert.Equal(inline.Count, hashes.Count);
        foreach (var script in inline)
            Assert.Contains($"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)))}'", hashes);
    }

    [Fact]
    public async Task TheHangfireDashboardGetsInlineScriptsButStillNoFraming()
    {
        var response = await _client.GetAsync("/hangfire");
        AssertCommonHeaders(response);
        var csp = Directives(Header(response, "Content-Security-Policy"));
        Assert.Equal("'self' 'unsafe-inline'", csp["script-src"]);
    }

    [GeneratedRegex("<script(?<attrs>[^>]*)>(?<body>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScripts();
}
