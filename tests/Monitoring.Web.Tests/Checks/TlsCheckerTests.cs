using Microsoft.Extensions.Time.Testing;
using Monitoring.Core.Services;
using Monitoring.Web.Checks;
using static Monitoring.Web.Tests.Checks.CheckTestSupport;

namespace Monitoring.Web.Tests.Checks;

public sealed class TlsCheckerTests
{
    private static readonly CheckCondition s_allowUntrusted = Condition("tlsAllowUntrusted", "true");
    private readonly DateTimeOffset _now = TimeProvider.System.GetUtcNow();

    private async Task<CheckOutcome> CheckAsync(X509CertificateFactory make, TimeProvider? time = null, string? target = null, params CheckCondition[] conditions)
    {
        using var certificate = make(_now);
        await using var server = LoopbackServer.Tls(certificate);
        var checker = new TlsChecker(time ?? TimeProvider.System);
        return await checker.CheckAsync(Service(ServiceType.Tls, target ?? server.Target, conditions), TestTimeout());
    }

    private delegate System.Security.Cryptography.X509Certificates.X509Certificate2 X509CertificateFactory(DateTimeOffset now);

    private static readonly X509CertificateFactory s_fiveDays = now => SelfSigned(now.AddDays(-1), now.AddDays(5));
    private static readonly X509CertificateFactory s_sixtyDays = now => SelfSigned(now.AddDays(-1), now.AddDays(60));
    private static readonly X509CertificateFactory s_expired = now => SelfSigned(now.AddDays(-30), now.AddDays(-1));

    [Fact]
    public async Task Five_days_left_is_degraded_without_a_condition()
    {
        var outcome = await CheckAsync(s_fiveDays, conditions: s_allowUntrusted);
        Assert.Equal(ServiceStatus.Degraded, outcome.Status);
        Assert.Contains("in 5.0 days", outcome.Message);
    }

    [Fact]
    public async Task Expiry_condition_decides()
    {
        var strict = await CheckAsync(s_fiveDays, conditions: [s_allowUntrusted, Condition("certExpiryDays", "14", ">=")]);
        Assert.Equal(ServiceStatus.Unhealthy, strict.Status);
        Assert.Contains("certExpiryDays >= 14", strict.Message);

        var lenient = await CheckAsync(s_fiveDays, conditions: [s_allowUntrusted, Condition("certExpiryDays", "3")]);
        Assert.Equal(ServiceStatus.Healthy, lenient.Status);
    }

    [Fact]
    public async Task Long_lived_certificate_is_healthy()
    {
        var outcome = await CheckAsync(s_sixtyDays, conditions: s_allowUntrusted);
        Assert.Equal(ServiceStatus.Healthy, outcome.Status);
    }

    [Fact]
    public async Task Expired_certificate_is_unhealthy()
    {
        var outcome = await CheckAsync(s_expired, conditions: s_allowUntrusted);
        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
        Assert.Contains("expired", outcome.Message);
    }

    [Fact]
    public async Task Days_left_come_from_the_injected_clock()
    {
        var time = new FakeTimeProvider(_now.AddDays(10));
        var outcome = await CheckAsync(s_sixtyDays, time, conditions: s_allowUntrusted);
        Assert.Equal(ServiceStatus.Healthy, outcome.Status);
        Assert.Contains("in 50.0 days", outcome.Message);

        time.SetUtcNow(_now.AddDays(61));
        var later = await CheckAsync(s_sixtyDays, time, conditions: s_allowUntrusted);
        Assert.Equal(ServiceStatus.Unhealthy, later.Status);
        Assert.Contains("expired", later.Message);
    }

    [Fact]
    public async Task Untrusted_certificate_without_opt_in_is_unhealthy()
    {
        var outcome = await CheckAsync(s_sixtyDays);
        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
        Assert.Contains("not trusted", outcome.Message);
        Assert.Contains("tlsAllowUntrusted", outcome.Message);
    }

    [Fact]
    public async Task Name_mismatch_fails_even_with_opt_in()
    {
        var outcome = await CheckAsync(now => SelfSigned(now.AddDays(-1), now.AddDays(60), "other.example"), conditions: s_allowUntrusted);
        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
        Assert.Contains("does not match", outcome.Message);
    }

    [Fact]
    public async Task Https_url_target_is_accepted()
    {
        using var certificate = s_sixtyDays(_now);
        await using var server = LoopbackServer.Tls(certificate);
        var outcome = await new TlsChecker(TimeProvider.System).CheckAsync(
            Service(ServiceType.Tls, $"https://localhost:{server.Port}/", s_allowUntrusted), TestTimeout());
        Assert.Equal(ServiceStatus.Healthy, outcome.Status);
    }

    [Fact]
    public async Task Closed_port_is_unhealthy()
    {
        var outcome = await new TlsChecker(TimeProvider.System).CheckAsync(Service(ServiceType.Tls, $"127.0.0.1:{ClosedPort()}"), TestTimeout());
        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
    }

    [Fact]
    public async Task Plain_tcp_peer_fails_the_handshake()
    {
        await using var server = new LoopbackServer((_, _) => Task.CompletedTask); // accepts, then hangs up
        var outcome = await new TlsChecker(TimeProvider.System).CheckAsync(Service(ServiceType.Tls, server.Target), TestTimeout());
        Assert.Equal(ServiceStatus.Unhealthy, outcome.Status);
        Assert.Contains("handshake", outcome.Message);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", true)]
    [InlineData("maybe", false)]
    public void Validator_knows_tlsAllowUntrusted(string value, bool valid)
    {
        var input = new ServiceInput { Name = "t", Type = "tls", Target = "example.com:443", Conditions = [Condition("tlsAllowUntrusted", value)] };
        var (definition, errors) = ServiceValidator.Validate(input);
        Assert.Equal(valid, definition is not null);
        Assert.Equal(valid, !errors.ContainsKey("conditions[0].value"));
    }
}
