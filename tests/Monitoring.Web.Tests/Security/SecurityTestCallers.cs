using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Monitoring.Core.Realtime;
using Monitoring.Web.Tests.Infrastructure;

namespace Monitoring.Web.Tests.Security;

/// <summary>
/// The one place the abuse-protection tests choose who is calling. Today nothing is authorized,
/// so a caller is just an optional <c>X-Api-Key</c> value that picks a rate-limit bucket. When
/// authorization lands, give every caller real credentials here (e.g. a bootstrap key for
/// <c>null</c>, and one created key per distinct name) and the tests keep working.
/// </summary>
internal static class SecurityTestCallers
{
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>An HTTP client for <paramref name="caller"/> (null: the default, unnamed caller).</summary>
    public static HttpClient Client(MonitoringHost host, string? caller = null) =>
        // A named caller presents its name as the key: the limiter runs before authentication, so a
        // made-up key still picks its own bucket (the call itself is then refused with 401, not 429).
        caller is null ? host.CreateClient() : host.CreateClientWithKey(caller);

    /// <summary>A hub connection over long polling through the test server, as the default caller.</summary>
    public static HubConnection Hub(MonitoringHost host) => host.ConnectHub();

    public static async Task<int> ServiceCountAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/services")).GetArrayLength();
}
