using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Monitoring.Core.Realtime;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Security;

public sealed class AuthorizationTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private MonitoringHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new MonitoringHost(_dir.Path);
        _host.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    private static object NewService(string name) => new { name, type = "tcp", target = "127.0.0.1:9", intervalSeconds = 3600, timeoutMs = 100 };

    [Fact]
    public async Task RoleMatrix_ViewerReads_OperatorChanges_AdminManagesUsers()
    {
        var viewer = await _host.SignedInClientAsync("vera", "Viewer");
        var op = await _host.SignedInClientAsync("otto", "Operator");
        var admin = await _host.SignedInClientAsync("ada", "Admin");

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/services")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/services", NewService("v"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/v1/users")).StatusCode);

        var created = await op.PostAsJsonAsync("/api/v1/services", NewService("by-operator"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"/api/v1/services/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.GetAsync("/api/v1/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsJsonAsync("/api/v1/users", new { userName = "x", password = "long enough password", role = "Admin" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsJsonAsync("/api/v1/api-keys", new { name = "k", scope = "admin" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.GetAsync("/api/v1/audit")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/users")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/services/{id}")).StatusCode);

        var me = await viewer.GetFromJsonAsync<JsonElement>("/api/v1/account/me");
        Assert.Equal("vera", me.GetProperty("name").GetString());
        Assert.Contains("Viewer", me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task TheHangfireDashboardIsForAdminsOnly()
    {
        var viewer = await _host.SignedInClientAsync("vic", "Viewer");
        var admin = await _host.SignedInClientAsync("adam", "Admin");
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/hangfire")).StatusCode);
        var anonymous = await _host.CreateAnonymousClient().GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }

    [Fact]
    public async Task ApiKeyScopesAreEnforced_AndRevocationTakesEffectAtOnce()
    {
        var read = _host.CreateClientWithKey(await _host.CreateApiKeyAsync("read"));
        var ingest = _host.CreateClientWithKey(await _host.CreateApiKeyAsync("ingest"));
        var operate = _host.CreateClientWithKey(await _host.CreateApiKeyAsync("operate"));

        Assert.Equal(HttpStatusCode.OK, (await read.GetAsync("/api/v1/services")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await read.PostAsJsonAsync("/api/v1/services", NewService("r"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.GetAsync("/api/v1/services")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await operate.PostAsJsonAsync("/api/v1/services", NewService("o"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await operate.GetAsync("/api/v1/api-keys")).StatusCode);

        var keys = await _host.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/api-keys");
        var readKey = keys.EnumerateArray().First(k => k.GetProperty("scope").GetString() == "read");
        Assert.False(readKey.TryGetProperty("key", out var secret) && secret.ValueKind == JsonValueKind.String, "the secret is never listed");
        Assert.NotEqual(JsonValueKind.Null, readKey.GetProperty("lastUsedAt").ValueKind);

        var revoke = await _host.CreateClient().DeleteAsync($"/api/v1/api-keys/{readKey.GetProperty("id").GetInt64()}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        var after = await read.GetAsync("/api/v1/services");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("revoked", await after.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task KeysAreRefusedInTheQueryString_AndUnknownKeysAre401()
    {
        var key = await _host.CreateApiKeyAsync("read");
        var anonymous = _host.CreateAnonymousClient();
        var inQuery = await anonymous.GetAsync($"/api/v1/services?api_key={Uri.EscapeDataString(key)}");
        Assert.Equal(HttpStatusCode.Unauthorized, inQuery.StatusCode);
        Assert.Contains("X-Api-Key header", await inQuery.Content.ReadAsStringAsync());
        var forged = _host.CreateClientWithKey(key[..^4] + "AAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/v1/services")).StatusCode);
        var garbage = _host.CreateClientWithKey("not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await garbage.GetAsync("/api/v1/services")).StatusCode);
    }

    [Fact]
    public async Task ChangingThePasswordEndsOtherSessionsAndDropsLiveHubConnections()
    {
        var browserA = await _host.SignedInClientAsync("pat", "Operator", "first password 1");
        var browserB = _host.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Redirect, (await browserB.LoginAsync("pat", "first password 1")).StatusCode);

        // Browser B holds a live hub connection with its session cookie.
        var cookie = string.Join("; ", _host.Server.BaseAddress is { } b ? await CookieHeaderAsync(browserB) : []);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = _host.ConnectHub(cookie);
        hub.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        await hub.StartAsync();
        await hub.InvokeAsync<ServicesSnapshot>(MonitoringHubContract.GetServicesSnapshot);

        var change = await browserA.PostAsJsonAsync("/api/v1/account/password", new { currentPassword = "first password 1", newPassword = "second password 2" });
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browserB.GetAsync("/api/v1/services")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browserA.GetAsync("/api/v1/services")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await _host.CreateAnonymousClient().LoginAsync("pat", "second password 2")).StatusCode);
    }

    [Fact]
    public async Task AWrongCurrentPasswordChangesNothing()
    {
        var client = await _host.SignedInClientAsync("sam", "Viewer", "first password 1");
        var change = await client.PostAsJsonAsync("/api/v1/account/password", new { currentPassword = "nope nope nope", newPassword = "second password 2" });
        Assert.Equal(HttpStatusCode.BadRequest, change.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/services")).StatusCode);
    }

    private static async Task<string[]> CookieHeaderAsync(HttpClient client)
    {
        // The test server's cookie container lives in the client's handler; read it back through a request echo.
        var response = await client.GetAsync("/api/v1/account/me");
        response.EnsureSuccessStatusCode();
        return response.RequestMessage!.Headers.TryGetValues("Cookie", out var values) ? values.ToArray() : [];
    }
}
