using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Monitoring.Web.Tests.Infrastructure;

/// <summary>Sign-in through the real login form (antiforgery token included) and user set-up through the API.</summary>
public static partial class Accounts
{
    [GeneratedRegex("name=\"(__RequestVerificationToken)\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string pagePath, string postPath, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(pagePath);
        var match = TokenField().Match(page);
        if (!match.Success) throw new InvalidOperationException($"No antiforgery field on {pagePath}: {page}");
        fields[match.Groups[1].Value] = WebUtility.HtmlDecode(match.Groups[2].Value);
        return await client.PostAsync(postPath, new FormUrlEncodedContent(fields));
    }

    /// <summary>Signs in through /login; returns the response (302 on success).</summary>
    public static Task<HttpResponseMessage> LoginAsync(this HttpClient client, string userName, string password) =>
        client.PostFormAsync("/login", "/login", new() { ["userName"] = userName, ["password"] = password, ["returnUrl"] = "/" });

    /// <summary>Creates a user with the admin client and returns a new client signed in as that user.</summary>
    public static async Task<HttpClient> SignedInClientAsync(this MonitoringHost host, string userName, string role, string password = "long enough password")
    {
        var admin = host.CreateClient();
        var created = await admin.PostAsJsonAsync("/api/v1/users", new { userName, password, role });
        if (created.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"Creating {userName}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        var client = host.CreateAnonymousClient();
        var login = await client.LoginAsync(userName, password);
        if (login.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"Login of {userName} failed: {(int)login.StatusCode}");
        return client;
    }

    public static async Task<string> CreateApiKeyAsync(this MonitoringHost host, string scope, string name = "integration")
    {
        var response = await host.CreateClient().PostAsJsonAsync("/api/v1/api-keys", new { name, scope });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }
}
