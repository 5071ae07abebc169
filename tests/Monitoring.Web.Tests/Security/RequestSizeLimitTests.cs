using System.Net;
using System.Text;
using System.Text.Json;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Security;

public sealed class RequestSizeLimitTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private MonitoringHost? _host;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        _dir.Dispose();
    }

    private HttpClient Start(IDictionary<string, string?>? settings = null)
    {
        _host = new MonitoringHost(_dir.Path, settings);
        return SecurityTestCallers.Client(_host);
    }

    /// <summary>A service whose name makes the JSON <paramref name="bytes"/> long.</summary>
    private static byte[] OversizeService(int bytes)
    {
        var head = """{"type":"tcp","target":"127.0.0.1:9","intervalSeconds":60,"name":" """u8.ToArray();
        var body = new byte[bytes];
        head.CopyTo(body, 0);
        body.AsSpan(head.Length, bytes - head.Length - 2).Fill((byte)'a');
        "\"}"u8.CopyTo(body.AsSpan(bytes - 2));
        return body;
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()), problem.ToString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("requestId").GetString()));
    }

    [Fact]
    public async Task A31MiBBodyIsA413AndNothingIsStored()
    {
        var client = Start();
        var content = new ByteArrayContent(OversizeService(31 * 1024 * 1024));
        content.Headers.ContentType = new("application/json");

        var response = await client.PostAsync("/api/v1/services", content);

        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await SecurityTestCallers.ServiceCountAsync(client));
    }

    [Fact]
    public async Task ABodyWithoutLengthIsCutOffWhileReadingAndIsA413Too()
    {
        var client = Start(new Dictionary<string, string?> { ["Monitoring:Abuse:MaxRequestBodyBytes"] = "4096" });
        var content = new StreamContent(new UnknownLengthStream(OversizeService(64 * 1024)));
        content.Headers.ContentType = new("application/json");

        var response = await client.PostAsync("/api/v1/services", content);

        Assert.Null(content.Headers.ContentLength);
        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await SecurityTestCallers.ServiceCountAsync(client));
    }

    [Fact]
    public async Task BodiesWithinTheLimitAreServed()
    {
        var client = Start(new Dictionary<string, string?> { ["Monitoring:Abuse:MaxRequestBodyBytes"] = "4096" });
        var content = new StringContent("""{"name":"small","type":"tcp","target":"127.0.0.1:9","intervalSeconds":60}""", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/v1/services", content)).StatusCode);
    }

    /// <summary>A readable stream that hides its length, so the client sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
