using System.Net;
using Monitoring.Client.Admin;

namespace Monitoring.Client.Tests.Admin;

public sealed class AdminApiTests
{
    private readonly FakeApi _server = new();

    private AdminApi Client() => new(_server.CreateClient());

    [Fact]
    public async Task AValidationProblemBecomesFieldErrors()
    {
        _server.Problem("POST", "api/v1/users", HttpStatusCode.BadRequest, "The request is not valid.", new() { ["userName"] = ["Taken."], ["role"] = ["Bad role."] });

        var result = await Client().CreateUserAsync(new CreateUserRequest("bob", "pw", "Viewer"));

        Assert.False(result.IsSuccess);
        Assert.Equal(400, result.Problem!.Status);
        Assert.Equal("Taken.", result.Problem.For("userName"));
        Assert.Equal("Taken.", result.Problem.For("USERNAME"));
        Assert.Null(result.Problem.For("password"));
        Assert.Null(result.Problem.Unplaced("userName", "role"));
        Assert.Equal("Bad role.", result.Problem.Unplaced("userName"));
    }

    [Fact]
    public async Task AnAnswerThatIsNotProblemDetailsStillGetsATitle()
    {
        var api = new AdminApi(new HttpClient(new StaticHandler(HttpStatusCode.BadGateway, "<html>proxy</html>")) { BaseAddress = FakeApi.BaseAddress });

        var result = await api.RevokeApiKeyAsync(4);

        Assert.Equal(502, result.Problem!.Status);
        Assert.Equal("The server answered 502 BadGateway.", result.Problem.Summary);
    }

    [Fact]
    public async Task AnEndedSessionSaysToSignInAgain()
    {
        _server.Problem("GET", "api/v1/users", HttpStatusCode.Unauthorized, "Authentication required.");

        var result = await Client().GetUsersAsync();

        Assert.True(result.Problem!.IsUnauthorized);
        Assert.Equal("Your session has ended: sign in again.", result.Problem.Summary);
    }

    [Fact]
    public async Task NoAnswerAtAllIsAProblemNotAnException()
    {
        var api = new AdminApi(new HttpClient(new ThrowingHandler()) { BaseAddress = FakeApi.BaseAddress });

        var result = await api.GetAuditAsync(new AuditQuery());

        Assert.Equal(ApiProblem.NoResponse, result.Problem!.Status);
        Assert.StartsWith("The server could not be reached.", result.Problem.Summary);
    }

    [Fact]
    public async Task AnUpdateSendsOnlyWhatChanges()
    {
        _server.Json("PUT", "api/v1/users/u%201", new { id = "u 1", userName = "bob", role = "Admin", createdAt = DateTimeOffset.UnixEpoch, lockedOut = false });

        var result = await Client().UpdateUserAsync("u 1", new UpdateUserRequest(Role: "Admin"));

        Assert.Equal("Admin", result.Value!.Role);
        var sent = Assert.Single(_server.Requests);
        Assert.Equal("/api/v1/users/u%201", sent.PathAndQuery);
        Assert.Equal("""{"role":"Admin"}""", sent.Body);
    }

    private sealed class StaticHandler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body) });
    }

    private sealed class ThrowingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("Connection refused");
    }
}
