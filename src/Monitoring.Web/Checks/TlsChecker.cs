using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Monitoring.Core.Services;
using Monitoring.Web.Security;

namespace Monitoring.Web.Checks;

/// <summary>
/// Opens a TLS session to host:port (or an https URL, port 443 by default), takes the server
/// certificate and measures the days left until it expires (against the injected clock).
/// Expired, name mismatch or an untrusted chain → unhealthy. A <c>certExpiryDays</c> condition
/// (default operator <c>&gt;=</c>) decides the rest: failing it is unhealthy; without one the
/// check is degraded below <see cref="DefaultWarningDays"/> days.
/// <c>tlsAllowUntrusted</c> = <c>true</c> accepts chain errors (self-signed, private CA) so
/// expiry can still be watched; a name mismatch still fails. The connection goes through the
/// outbound policy like every other check.
/// </summary>
/// <param name="outbound">The app's policy (DI); without one, the built-in rules (<see cref="OutboundPolicy.Default"/>).</param>
public sealed class TlsChecker(TimeProvider time, OutboundPolicy? outbound = null) : IChecker
{
    private readonly OutboundPolicy _outbound = outbound ?? OutboundPolicy.Default;

    public const int DefaultWarningDays = 14;

    public ServiceType Type => ServiceType.Tls;

    public async Task<CheckOutcome> CheckAsync(ServiceDefinition service, CancellationToken cancellationToken)
    {
        if (!TryParseTarget(service.Target, out var host, out var port))
            return CheckOutcome.Down(0, $"Target '{service.Target}' is not host:port or an https:// URL.");
        var allowUntrusted = service.OfKind(ConditionRules.TlsAllowUntrusted).Any(c => bool.TryParse(c.Value, out var on) && on);

        var started = Stopwatch.GetTimestamp();
        var (stream, error) = await TcpTargets.ConnectAsync(_outbound, host, port, cancellationToken);
        if (stream is null) return CheckOutcome.Down(Stopwatch.GetElapsedTime(started).TotalMilliseconds, error!);

        X509Certificate2? certificate = null;
        var policyErrors = SslPolicyErrors.None;
        X509ChainStatusFlags chainStatus = 0;
        await using (var ssl = new SslStream(stream, leaveInnerStreamOpen: false))
        {
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = host,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                // Accept everything during the handshake and judge afterwards: the checker sends
                // no data, and it needs the certificate even when it is untrusted or expired.
                RemoteCertificateValidationCallback = (_, cert, chain, errors) =>
                {
                    if (cert is not null) certificate = new X509Certificate2(cert);
                    policyErrors = errors;
                    foreach (var status in chain?.ChainStatus ?? []) chainStatus |= status.Status;
                    return true;
                },
            };
            try
            {
                await ssl.AuthenticateAsClientAsync(options, cancellationToken);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException)
            {
                return CheckOutcome.Down(Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"TLS handshake with {host}:{port} failed: {ex.GetBaseException().Message}");
            }
        }

        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        using (certificate)
        {
            if (certificate is null) return CheckOutcome.Down(latency, $"{host}:{port} sent no certificate.");
            return Judge(service, certificate, policyErrors, chainStatus, allowUntrusted, latency);
        }
    }

    private CheckOutcome Judge(ServiceDefinition service, X509Certificate2 certificate, SslPolicyErrors policyErrors,
        X509ChainStatusFlags chainStatus, bool allowUntrusted, double latency)
    {
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var daysLeft = (notAfter - time.GetUtcNow()).TotalDays;
        var subject = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var expiry = $"Certificate '{subject}' expires {notAfter:yyyy-MM-dd HH:mm} UTC";
        var days = daysLeft.ToString("0.0", CultureInfo.InvariantCulture);

        if (daysLeft <= 0)
            return CheckOutcome.Down(latency, $"Certificate '{subject}' expired {(-daysLeft).ToString("0.0", CultureInfo.InvariantCulture)} days ago ({notAfter:yyyy-MM-dd} UTC).");
        if (policyErrors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return CheckOutcome.Down(latency, $"Certificate '{subject}' does not match the host name.");
        if (policyErrors != SslPolicyErrors.None && !allowUntrusted)
            return CheckOutcome.Down(latency, $"Certificate '{subject}' is not trusted ({(chainStatus != 0 ? chainStatus : policyErrors)}); add a tlsAllowUntrusted=true condition to accept it.");

        var conditions = service.OfKind(ConditionRules.CertExpiryDays).ToList();
        if (conditions.FirstOrDefault(c => !c.Holds(daysLeft, ">=")) is { } failed)
            return CheckOutcome.Down(latency, $"{failed.Failed($"{days} days", ">=")} {expiry}.");
        if (service.OfKind(ConditionRules.LatencyMs).FirstOrDefault(c => !c.Holds(latency, "<=")) is { } slow)
            return CheckOutcome.Down(latency, slow.Failed($"{latency:F0} ms", "<="));
        if (conditions.Count == 0 && daysLeft < DefaultWarningDays)
            return new CheckOutcome(ServiceStatus.Degraded, latency, $"{expiry}, in {days} days (under {DefaultWarningDays}).");
        return CheckOutcome.Up(latency, $"{expiry}, in {days} days.");
    }

    internal static bool TryParseTarget(string target, out string host, out int port)
    {
        if (Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
        {
            host = uri.IdnHost.Trim('[', ']');
            port = uri.Port;
            return host.Length > 0;
        }
        return ServiceValidator.TryParseHostPort(target, out host, out port);
    }
}
