using System.Net;
using Bunit;
using Monitoring.Client.Pages.Admin;
using static Monitoring.Client.Tests.AdminData;

namespace Monitoring.Client.Tests.Pages.Admin;

public sealed class ApiKeysPageTests : MonitoringTestContext
{
    private const string Secret = "mk_0007_s3cr3t-only-shown-once";

    public ApiKeysPageTests()
    {
        Api.Json("GET", ApiKeys, new[] { ApiKey(1, "CI deploy hook", "ingest"), ApiKey(2, "Old exporter", revoked: true) });
    }

    [Fact]
    public void ListsKeysByPrefixWithTheirState()
    {
        var cut = RenderWithProviders<ApiKeysPage>();

        cut.WaitForAssertion(() => Assert.Equal("CI deploy hook", cut.Find("#api-key-name-1").TextContent));
        Assert.Equal("ingest", cut.Find("#api-key-scope-1").TextContent);
        Assert.Contains("Active", cut.Find("#api-key-state-1").TextContent);
        Assert.Contains("Revoked", cut.Find("#api-key-state-2").TextContent);
        Assert.NotNull(cut.Find("#api-key-revoke-1"));
        Assert.Empty(cut.FindAll("#api-key-revoke-2"));
        Assert.Equal("mk_000000000001_…", cut.Find("#api-key-prefix-1").TextContent);
    }

    [Fact]
    public void TheNewKeyIsShownOnceAndGoneWhenTheDialogCloses()
    {
        Api.Json("POST", ApiKeys, ApiKey(7, "Grafana", "read", key: Secret), HttpStatusCode.Created);
        var cut = RenderWithProviders<ApiKeysPage>();
        cut.WaitForElement("#api-key-create").Click();
        cut.WaitForElement("#new-key-name").Input("Grafana");

        cut.Find("#create-api-key-submit").Click();

        cut.WaitForAssertion(() => Assert.Equal(Secret, cut.Find("#new-api-key").GetAttribute("value")));
        Assert.True(cut.Find("#new-api-key").HasAttribute("readonly"));
        Assert.Equal("API key created", cut.Find("#create-api-key-title").TextContent);
        Assert.Contains("You won't see it again", cut.Find("#api-key-once").TextContent);
        Assert.NotNull(cut.Find("#copy-api-key"));
        var sent = Assert.Single(Api.RequestsTo("POST", ApiKeys));
        Assert.Equal("""{"name":"Grafana","scope":"read"}""", sent.Body);

        Api.Json("GET", ApiKeys, new[] { ApiKey(1, "CI deploy hook", "ingest"), ApiKey(7, "Grafana") });
        cut.Find("#api-key-done").Click();

        cut.WaitForAssertion(() => Assert.Equal("Grafana", cut.Find("#api-key-name-7").TextContent));
        Assert.DoesNotContain(Secret, cut.Markup);
    }

    [Fact]
    public void TheCopyButtonPutsTheKeyOnTheClipboard()
    {
        Api.Json("POST", ApiKeys, ApiKey(7, "Grafana", key: Secret), HttpStatusCode.Created);
        var clipboard = JSInterop.SetupVoid("navigator.clipboard.writeText", Secret);
        var cut = RenderWithProviders<ApiKeysPage>();
        cut.WaitForElement("#api-key-create").Click();
        cut.WaitForElement("#new-key-name").Input("Grafana");
        cut.Find("#create-api-key-submit").Click();

        cut.WaitForElement("#copy-api-key").Click();

        Assert.Single(clipboard.Invocations);
    }

    [Fact]
    public void AnExpiryDateIsSentAsTheEndOfThatDayInLocalTime()
    {
        Api.Json("POST", ApiKeys, ApiKey(8, "Temp", key: Secret), HttpStatusCode.Created);
        var cut = RenderWithProviders<ApiKeysPage>();
        cut.WaitForElement("#api-key-create").Click();
        cut.WaitForElement("#new-key-name").Input("Temp");
        cut.Find("#new-key-expiry").Change("2030-01-31");

        cut.Find("#create-api-key-submit").Click();

        cut.WaitForElement("#new-api-key");
        var sent = Assert.Single(Api.RequestsTo("POST", ApiKeys));
        var expected = CreateApiKeyDialog.EndOfDay(new DateOnly(2030, 1, 31));
        using var body = System.Text.Json.JsonDocument.Parse(sent.Body!);
        Assert.Equal(expected, body.RootElement.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(new DateTime(2030, 1, 31, 23, 59, 59), expected.DateTime);
    }

    [Fact]
    public void ValidationErrorsAppearNextToTheirFields()
    {
        Api.Problem("POST", ApiKeys, HttpStatusCode.BadRequest, "The request is not valid.", new()
        {
            ["name"] = ["Name is required (at most 100 characters)."],
            ["expiresAt"] = ["Expiry must be in the future."],
        });
        var cut = RenderWithProviders<ApiKeysPage>();
        cut.WaitForElement("#api-key-create").Click();
        cut.WaitForElement("#create-api-key-submit").Click();

        cut.WaitForAssertion(() => Assert.Contains("Name is required", cut.Find("#new-key-name-field").TextContent));
        Assert.Contains("Expiry must be in the future.", cut.Find("#new-key-expiry-field").TextContent);
        Assert.Empty(cut.FindAll("#new-api-key"));
    }

    [Fact]
    public void RevokingAsksForConfirmationFirst()
    {
        Api.NoContent("DELETE", $"{ApiKeys}/1");
        var cut = RenderWithProviders<ApiKeysPage>();
        cut.WaitForElement("#api-key-revoke-1").Click();

        cut.WaitForAssertion(() => Assert.Contains("\"CI deploy hook\"", cut.Find("#confirm-message").TextContent));
        Assert.Equal("Revoke", cut.Find("#confirm-yes").TextContent.Trim());
        Assert.Empty(Api.RequestsTo("DELETE", $"{ApiKeys}/1"));

        Api.Json("GET", ApiKeys, new[] { ApiKey(1, "CI deploy hook", "ingest", revoked: true) });
        cut.Find("#confirm-yes").Click();

        cut.WaitForAssertion(() => Assert.Contains("Revoked", cut.Find("#api-key-state-1").TextContent));
        Assert.Single(Api.RequestsTo("DELETE", $"{ApiKeys}/1"));
    }

    [Fact]
    public void CancellingTheConfirmationRevokesNothing()
    {
        var cut = RenderWithProviders<ApiKeysPage>();
        cut.WaitForElement("#api-key-revoke-1").Click();
        cut.WaitForElement("#confirm-no").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#confirm-message")));
        Assert.Empty(Api.RequestsTo("DELETE", $"{ApiKeys}/1"));
    }
}
