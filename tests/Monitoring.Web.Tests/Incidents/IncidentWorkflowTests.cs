using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Incidents;

/// <summary>Manual incidents through the real host: validation, status transitions, acknowledge, notes, roles.</summary>
public sealed class IncidentWorkflowTests : HostTests
{
    private async Task<long> ServiceAsync(string name) => await Client.CreateServiceAsync(new
    {
        name, type = "http", target = "http://127.0.0.1:9/", intervalSeconds = 3600, enabled = false,
    });

    private async Task<JsonElement> CreateAsync(object body)
    {
        var response = await Client.PostAsJsonAsync("/api/v1/incidents", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/v1/incidents/{created.GetProperty("id").GetInt64()}", response.Headers.Location!.OriginalString);
        return created;
    }

    private async Task<JsonElement> PutAsync(long id, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Client.PutAsJsonAsync($"/api/v1/incidents/{id}", body);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<int> CountAsync() => (await Client.GetFromJsonAsync<JsonElement>("/api/v1/incidents?limit=1000")).GetArrayLength();

    [Fact]
    public async Task OpeningByHandStoresEveryFieldAndLinksTheServices()
    {
        var a = await ServiceAsync("a");
        var b = await ServiceAsync("b");
        var created = await CreateAsync(new { title = "Checkout slow", description = "p95 above 2 s", severity = "critical", serviceIds = new[] { b, a }, assignedTo = "ana" });

        var id = created.GetProperty("id").GetInt64();
        var read = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        Assert.Equal("Checkout slow", read.GetProperty("title").GetString());
        Assert.Equal("p95 above 2 s", read.GetProperty("description").GetString());
        Assert.Equal("critical", read.GetProperty("severity").GetString());
        Assert.Equal("investigating", read.GetProperty("status").GetString());
        Assert.Equal("ana", read.GetProperty("assignedTo").GetString());
        Assert.False(read.GetProperty("automatic").GetBoolean());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("acknowledgedAt").ValueKind);
        Assert.Equal([a, b], read.GetProperty("serviceIds").EnumerateArray().Select(e => e.GetInt64()));
        // Listed under each service it covers.
        Assert.Contains(await Client.IncidentsAsync(a), i => i.GetProperty("id").GetInt64() == id);
        Assert.Contains(await Client.IncidentsAsync(b), i => i.GetProperty("id").GetInt64() == id);
    }

    public static TheoryData<string, string> BadCreates => new()
    {
        { """{"severity":"warning"}""", "title" },
        { """{"title":"   "}""", "title" },
        { $$"""{"title":"{{new string('x', 201)}}"}""", "title" },
        { """{"title":"t","severity":"sev1"}""", "severity" },
        { """{"title":"t","serviceIds":[424242]}""", "serviceIds" },
        { $$"""{"title":"t","assignedTo":"{{new string('x', 201)}}"}""", "assignedTo" },
        { $$"""{"title":"t","description":"{{new string('x', 10_001)}}"}""", "description" },
        { """{"title":"t","serviceIds":"x"}""", "serviceIds" },
        { """not json""", "body" },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task EveryBadFieldIsA400NamingIt_AndNothingIsStored(string body, string field)
    {
        var response = await Client.PostAsync("/api/v1/incidents", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task StatusMovesForwardAndBack_ResolveSetsTimes_ReopenGoesToInvestigatingOnly()
    {
        var id = (await CreateAsync(new { title = "db failover" })).GetProperty("id").GetInt64();
        Assert.Equal("warning", (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}")).GetProperty("severity").GetString());

        var identified = await PutAsync(id, new { status = "identified", rootCause = "primary disk full" });
        Assert.Equal("identified", identified.GetProperty("status").GetString());
        Assert.Equal("primary disk full", identified.GetProperty("rootCause").GetString());
        // Omitted fields keep their value.
        var severity = await PutAsync(id, new { severity = "error" });
        Assert.Equal("identified", severity.GetProperty("status").GetString());
        Assert.Equal("primary disk full", severity.GetProperty("rootCause").GetString());
        Assert.Equal("error", severity.GetProperty("severity").GetString());
        Assert.Equal("investigating", (await PutAsync(id, new { status = "investigating" })).GetProperty("status").GetString());

        var resolved = await PutAsync(id, new { status = "resolved" });
        Assert.Equal(JsonValueKind.String, resolved.GetProperty("resolvedAt").ValueKind);
        Assert.Equal(resolved.GetProperty("resolvedAt").GetString(), resolved.GetProperty("recoveredAt").GetString());
        Assert.Equal(0, (await Client.GetFromJsonAsync<JsonElement>("/api/v1/incidents/active")).GetArrayLength());

        var bad = await PutAsync(id, new { status = "monitoring" }, HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("status", out _));
        Assert.Equal("resolved", (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}")).GetProperty("status").GetString());

        var reopened = await PutAsync(id, new { status = "investigating" });
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("resolvedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("recoveredAt").ValueKind);
        Assert.Equal(1, (await Client.GetFromJsonAsync<JsonElement>("/api/v1/incidents/active")).GetArrayLength());
    }

    [Theory]
    [InlineData("""{"status":"closed"}""", "status")]
    [InlineData("""{"severity":"sev1"}""", "severity")]
    [InlineData("""{"acknowledge":false}""", "acknowledge")]
    [InlineData("""{"status":"identified","severity":"nope"}""", "severity")]
    public async Task BadUpdatesAre400sAndChangeNothing(string body, string field)
    {
        var id = (await CreateAsync(new { title = "x", severity = "info" })).GetProperty("id").GetInt64();
        var response = await Client.PutAsync($"/api/v1/incidents/{id}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        var read = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        Assert.Equal("investigating", read.GetProperty("status").GetString());
        Assert.Equal("info", read.GetProperty("severity").GetString());
    }

    [Fact]
    public async Task UnknownIncidentsAre404s()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PutAsJsonAsync("/api/v1/incidents/999", new { status = "resolved" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsync("/api/v1/incidents/999/acknowledge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsJsonAsync("/api/v1/incidents/999/notes", new { text = "hi" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/v1/incidents/999/timeline")).StatusCode);
    }

    [Fact]
    public async Task AcknowledgeSetsAcknowledgedAtOnce()
    {
        var id = (await CreateAsync(new { title = "x" })).GetProperty("id").GetInt64();

        var first = await Client.PostAsync($"/api/v1/incidents/{id}/acknowledge", null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var at = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("acknowledgedAt").GetString();
        Assert.NotNull(at);
        // Wait until the clock has passed the first acknowledgement, so a second one would carry a later time.
        var firstAt = DateTimeOffset.Parse(at!, System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.WaitAsync(() => Task.FromResult(DateTimeOffset.UtcNow), now => now > firstAt.AddMilliseconds(1), TimeSpan.FromSeconds(5), "the clock to move on");
        var again = await PutAsync(id, new { acknowledge = true });
        Assert.Equal(at, again.GetProperty("acknowledgedAt").GetString());
        await Client.PostAsync($"/api/v1/incidents/{id}/acknowledge", null);

        var timeline = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}/timeline");
        Assert.Single(timeline.GetProperty("entries").EnumerateArray(), e => e.GetProperty("type").GetString() == "incident_acknowledged");
    }

    [Fact]
    public async Task NotesAreStoredWithTheirAuthorAndValidated()
    {
        var id = (await CreateAsync(new { title = "x" })).GetProperty("id").GetInt64();

        var created = await Client.PostAsJsonAsync($"/api/v1/incidents/{id}/notes", new { text = "  rolled back 1.4.2  " });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var note = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("rolled back 1.4.2", note.GetProperty("text").GetString());
        Assert.Equal("key:bootstrap", note.GetProperty("author").GetString());

        foreach (var text in new[] { "", "   ", new string('x', 10_001) })
        {
            var bad = await Client.PostAsJsonAsync($"/api/v1/incidents/{id}/notes", new { text });
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("text", out _));
        }
        var ok = await Client.PostAsJsonAsync($"/api/v1/incidents/{id}/notes", new { text = new string('y', 10_000) });
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);

        var notes = (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}/timeline")).GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "note").ToList();
        Assert.Equal(["rolled back 1.4.2", new string('y', 10_000)], notes.Select(n => n.GetProperty("detail").GetString()));
        Assert.All(notes, n => Assert.Equal("key:bootstrap", n.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task ChangesAreAudited()
    {
        var id = (await CreateAsync(new { title = "x" })).GetProperty("id").GetInt64();
        await PutAsync(id, new { status = "identified" });
        await Client.PostAsJsonAsync($"/api/v1/incidents/{id}/notes", new { text = "n" });

        var audit = await Client.GetFromJsonAsync<JsonElement>("/api/v1/audit?limit=100");
        var actions = audit.EnumerateArray().Where(e => e.GetProperty("target").GetString() == $"incident:{id}").Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("incident.create", actions);
        Assert.Contains("incident.update", actions);
        Assert.Contains("incident.note", actions);
    }

    [Fact]
    public async Task ViewersReadButCannotOpenChangeOrNote()
    {
        var id = (await CreateAsync(new { title = "x" })).GetProperty("id").GetInt64();
        var viewer = await Host.SignedInClientAsync("vera", "Viewer");
        var readKey = Host.CreateClientWithKey(await Host.CreateApiKeyAsync("read", "dash"));

        foreach (var client in new[] { viewer, readKey })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/incidents/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/incidents/{id}/timeline")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/incidents", new { title = "y" })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsJsonAsync($"/api/v1/incidents/{id}", new { status = "resolved" })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/v1/incidents/{id}/acknowledge", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/v1/incidents/{id}/notes", new { text = "z" })).StatusCode);
        }
        var operatorClient = await Host.SignedInClientAsync("otto", "Operator");
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"/api/v1/incidents/{id}/acknowledge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.CreateAnonymousClient().GetAsync($"/api/v1/incidents/{id}/timeline")).StatusCode);

        var read = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        Assert.Equal("investigating", read.GetProperty("status").GetString());
        Assert.Equal(1, await CountAsync());
    }
}
