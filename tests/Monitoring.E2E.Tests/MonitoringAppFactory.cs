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
    public const string AdminUser = "admin";
    public const string AdminPassword = "correct horse battery staple";
    public const string ApiKey = "e2e-bootstrap-key-0123456789abcdef0123456789";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Development serves the static web assets (the WebAssembly _framework, MudBlazor) from the build output.
        builder.UseEnvironment("Development");
        builder.UseSetting("Monitoring:DataDirectory", dataDirectory);
        builder.UseSetting("Monitoring:Admin:UserName", AdminUser);
        builder.UseSetting("Monitoring:Admin:Password", AdminPassword);
        builder.UseSetting("Monitoring:Bootstrap:ApiKey", ApiKey);
        // Every browser test signs in through the login form from 127.0.0.1; the default (10 per
        // 5 minutes per IP, tested in the Web tests) would refuse the 11th sign-in of a test class.
        builder.UseSetting("Monitoring:Abuse:Login:PermitLimit", "1000");
    }

    public Uri Start() => Start(0);

    /// <summary>
    /// Starts on <paramref name="port"/> (0 picks a free one). A test that stops an instance and starts a
    /// new one on the same port and data folder sees what browsers see when the server comes back.
    /// </summary>
    public Uri Start(int port)
    {
        UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Uri(address + "/");
    }
}
