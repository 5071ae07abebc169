using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Core.Services;
using Monitoring.Web.Checks;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Tests.Checks;

internal static class CheckTestSupport
{
    public static ServiceDefinition Service(ServiceType type, string target, params CheckCondition[] conditions) => new()
    {
        Id = 1,
        Name = "test",
        Type = type,
        Target = target,
        TimeoutMs = 5000,
        Conditions = conditions,
    };

    public static CheckCondition Condition(string kind, string value, string? op = null, string? key = null) => new(kind, key, op, value);

    /// <summary>The checkers exactly as the app registers them.</summary>
    public static ServiceProvider Provider(string userAgent = "Monitoring/0.1")
    {
        var services = new ServiceCollection();
        var options = new MonitoringOptions();
        options.Checks.UserAgent = userAgent;
        services.AddCheckers(options);
        return services.BuildServiceProvider();
    }

    public static T Checker<T>(this IServiceProvider provider) where T : IChecker =>
        provider.GetServices<IChecker>().OfType<T>().Single();

    /// <summary>A safety net so a broken test fails instead of hanging the run.</summary>
    public static CancellationToken TestTimeout(int seconds = 10) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    /// <summary>A port on 127.0.0.1 that nothing listens on (bound, then released).</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static X509Certificate2 SelfSigned(DateTimeOffset notBefore, DateTimeOffset notAfter, string name = "localhost")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        if (name == "localhost") san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}

/// <summary>
/// A raw TCP server on 127.0.0.1:0 that hands every accepted connection to a callback;
/// the tcp, tls and redis tests build their fake peers on it.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackServer(Func<TcpClient, CancellationToken, Task> handle)
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = AcceptAsync(handle);
    }

    public int Port { get; }
    public string Target => $"127.0.0.1:{Port}";

    /// <summary>Serves <paramref name="certificate"/> over TLS and waits for the client to close.</summary>
    public static LoopbackServer Tls(X509Certificate2 certificate) => new(async (client, ct) =>
    {
        await using var ssl = new SslStream(client.GetStream());
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, ct);
        var buffer = new byte[1];
        while (await ssl.ReadAsync(buffer, ct) > 0) { }
    });

    private async Task AcceptAsync(Func<TcpClient, CancellationToken, Task> handle)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        try { await handle(client, _stop.Token); }
                        catch (Exception) { } // a peer hanging up mid-way is part of the tests
                    }
                });
            }
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
