using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Monitoring.E2E.Tests;

/// <summary>The real app on Kestrel on a free loopback port, with its data in a temp folder.</summary>
public sealed class MonitoringAppFactory(string dataDirectory) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Development serves the static web assets (the WebAssembly _framework, MudBlazor) from the build output.
        builder.UseEnvironment("Development");
        builder.UseSetting("Monitoring:DataDirectory", dataDirectory);
    }

    public Uri Start()
    {
        UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Uri(address + "/");
    }
}
