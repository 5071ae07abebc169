using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Monitoring.Core.Realtime;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Security;

public sealed class AccountsAndAuditTests
{
    [Fact]
    public async Task TheFirstVisitorCreatesTheAdmin_AndNobodyCanDoItTwice()
    {
        using var dir = new TempDirectory();
        await using var host = new MonitoringHost(dir.Path);
        var first = host.CreateAnonymousClient();
        var mismatch = await first.PostFormAsync("/setup", "/setup", new() { ["userName"] = "root", ["password"] = "long enough 1", ["confirm"] = "different 2" });
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        Assert.Contains("do not match", await mismatch.Content.ReadAsStringAsync());

        var setup = await first.PostFormAsync("/setup", "/setup", new() { ["userName"] = "root", ["password"] = "long enough 1", ["confirm"] = "long enough 1" });
        Assert.Equal(HttpStatusCode.Redirect, setup.StatusCode);
        var me = await first.GetFromJsonAsync<JsonElement>("/api/v1/account/me");
        Assert.Contains("Admin", me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        // Set-up is closed now: the page sends people to the login page.
        var second = host.CreateAnonymousClient();
        var again = await second.GetAsync("/setup");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("/login", again.Headers.Location!.ToString());
        var users = await host.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/users");
        Assert.Equal(1, users.GetArrayLength());
    }

    [Fact]
    public async Task FormsWithoutTheAntiforgeryTokenAreRefused()
    {
        using var dir = new TempDirectory();
        await using var host = new MonitoringHost(dir.Path);
        var client = host.CreateAnonymousClient();
        var response = await client.PostAsync("/setup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = "mallory", ["password"] = "long enough 1", ["confirm"] = "long enough 1",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, (await host.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/users")).GetArrayLength());
    }

    [Fact]
    public async Task AnAdminSeededFromConfigurationCanSignIn_AndWeakSeedsStopTheStart()
    {
        using var dir = new TempDirectory();
        await using (var host = new MonitoringHost(dir.Path, new Dictionary<string, string?> { ["Monitoring:Admin:UserName"] = "ops", ["Monitoring:Admin:Password"] = "seeded password" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await host.CreateAnonymousClient().LoginAsync("ops", "seeded password")).StatusCode);
        }
        using var dir2 = new TempDirectory();
        await using var weak = new MonitoringHost(dir2.Path, new Dictionary<string, string?> { ["Monitoring:Admin:UserName"] = "ops", ["Monitoring:Admin:Password"] = "short" });
        var ex = Assert.ThrowsAny<Exception>(() => weak.CreateClient());
        Assert.Contains("Monitoring:Admin", ex.ToString());
    }

    [Fact]
    public async Task TheAuditLogRecordsWhoDidWhatFromWhere_AndOnlyAdminsReadIt()
    {
        using var dir = new TempDirectory();
        await using var host = new MonitoringHost(dir.Path);
        var op = await host.SignedInClientAsync("olga", "Operator");
        await host.CreateAnonymousClient().LoginAsync("olga", "wrong password!");
        var created = await op.PostAsJsonAsync("/api/v1/services", new { name = "audited", type = "tcp", target = "127.0.0.1:9", intervalSeconds = 60, timeoutMs = 100 });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await op.DeleteAsync($"/api/v1/services/{id}");
        await host.CreateApiKeyAsync("read", "grafana");

        var admin = host.CreateClient();
        var entries = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit")).EnumerateArray().ToList();
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "login" && e.GetProperty("actor").GetString() == "olga" && e.GetProperty("success").GetBoolean());
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "login" && e.GetProperty("actor").GetString() == "olga" && !e.GetProperty("success").GetBoolean());
        var create = entries.Single(e => e.GetProperty("action").GetString() == "service.create");
        Assert.Equal("olga", create.GetProperty("actor").GetString());
        Assert.Equal($"service:{id}", create.GetProperty("target").GetString());
        Assert.False(string.IsNullOrEmpty(create.GetProperty("requestId").GetString()));
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "service.delete");
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "apikey.create" && e.GetProperty("actor").GetString() == "key:bootstrap");
        Assert.DoesNotContain(entries, e => (e.GetProperty("detail").GetString() ?? "").Contains("mk_", StringComparison.Ordinal));

        var onlyServices = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=service.")).EnumerateArray().ToList();
        Assert.All(onlyServices, e => Assert.StartsWith("service.", e.GetProperty("action").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await op.GetAsync("/api/v1/audit")).StatusCode);
    }

    [Fact]
    public async Task ADisplayLinkGivesAReadOnlySessionWithoutLogin_UntilRevoked()
    {
        using var dir = new TempDirectory();
        await using var host = new MonitoringHost(dir.Path);
        var admin = host.CreateClient();
        var created = await (await admin.PostAsJsonAsync("/api/v1/display-links", new { name = "NOC wall" })).Content.ReadFromJsonAsync<JsonElement>();
        var url = created.GetProperty("url").GetString()!;
        Assert.StartsWith("/display/md_", url);
        Assert.True(url.Length > 50, "the token is long");

        var wall = host.CreateAnonymousClient();
        var open = await wall.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await wall.GetAsync("/api/v1/services")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await wall.PostAsJsonAsync("/api/v1/services", new { name = "x", type = "tcp", target = "127.0.0.1:9" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.CreateAnonymousClient().GetAsync(url + "x")).StatusCode);

        var cookie = (await wall.GetAsync("/api/v1/account/me")).RequestMessage!.Headers.GetValues("Cookie").Single();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = host.ConnectHub(cookie);
        hub.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        await hub.StartAsync();

        var id = created.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/display-links/{id}")).StatusCode);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.Unauthorized, (await wall.GetAsync("/api/v1/services")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.CreateAnonymousClient().GetAsync(url)).StatusCode);
    }

    [Theory]
    [InlineData("Open", HttpStatusCode.OK)]
    [InlineData("ApiKey", HttpStatusCode.Unauthorized)]
    [InlineData("Off", HttpStatusCode.Unauthorized)]
    public async Task MetricsAccessIsConfigurable(string access, HttpStatusCode anonymous)
    {
        using var dir = new TempDirectory();
        await using var host = new MonitoringHost(dir.Path, new Dictionary<string, string?> { ["Monitoring:Security:MetricsAccess"] = access });
        Assert.Equal(anonymous, (await host.CreateAnonymousClient().GetAsync("/metrics")).StatusCode);
        if (access == "ApiKey")
            Assert.Equal(HttpStatusCode.OK, (await host.CreateClientWithKey(await host.CreateApiKeyAsync("ingest")).GetAsync("/metrics")).StatusCode);
        // Off: not served at all (anonymous callers learn nothing about unmapped paths either).
        if (access == "Off")
            Assert.Equal(HttpStatusCode.NotFound, (await host.CreateClient().GetAsync("/metrics")).StatusCode);
    }
}

public sealed class LoginBruteForceTests
{
    [Fact]
    public async Task RepeatedLoginAttemptsGet429WithRetryAfter()
    {
        using var dir = new TempDirectory();
        await using var host = new MonitoringHost(dir.Path, new Dictionary<string, string?>
        {
            ["Monitoring:Admin:UserName"] = "admin",
            ["Monitoring:Admin:Password"] = "the real password",
            ["Monitoring:Abuse:Login:PermitLimit"] = "3",
        });
        var attacker = host.CreateAnonymousClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++) statuses.Add((await attacker.LoginAsync("admin", $"guess {i}")).StatusCode);
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        var blocked = await attacker.LoginAsync("admin", "the real password");
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.True(blocked.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }
}
