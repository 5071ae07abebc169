using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Monitoring.Client.Account;

namespace Monitoring.Client.Tests.Account;

public sealed class CurrentUserTests
{
    private readonly FakeApi _server = new();

    private CurrentUser Create() => new(_server.CreateClient(), NullLogger<CurrentUser>.Instance);

    [Fact]
    public async Task AnAdminIsAlsoAnOperator()
    {
        _server.Json("GET", AdminData.Me, AdminData.AdminAccount("alice"));
        var user = Create();

        await user.LoadAsync();

        Assert.True(user.IsSignedIn);
        Assert.Equal("alice", user.Name);
        Assert.True(user.IsAdmin);
        Assert.True(user.IsOperator);
        Assert.Equal("Admin", user.Role);
        Assert.True(user.HasPassword);
    }

    [Fact]
    public async Task AViewerIsNeitherAdminNorOperator()
    {
        _server.Json("GET", AdminData.Me, AdminData.ViewerAccount());
        var user = Create();

        await user.LoadAsync();

        Assert.False(user.IsAdmin);
        Assert.False(user.IsOperator);
        Assert.Equal("Viewer", user.Role);
    }

    [Fact]
    public async Task LoadsOnceForEveryCaller()
    {
        _server.Json("GET", AdminData.Me, AdminData.ViewerAccount());
        var user = Create();

        await Task.WhenAll(user.LoadAsync(), user.LoadAsync());
        await user.LoadAsync();

        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task AFailedLoadIsRetriedByTheNextCaller()
    {
        _server.Problem("GET", AdminData.Me, HttpStatusCode.Unauthorized, "Authentication required.");
        var user = Create();
        await user.LoadAsync();
        Assert.False(user.IsSignedIn);
        Assert.False(user.IsLoaded);

        _server.Json("GET", AdminData.Me, AdminData.ViewerAccount());
        await user.LoadAsync();

        Assert.True(user.IsSignedIn);
        Assert.Equal(2, _server.Requests.Count);
    }
}
