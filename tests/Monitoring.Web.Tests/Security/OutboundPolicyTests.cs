using System.Net;
using System.Net.Sockets;
using Monitoring.Web.Hosting;
using Monitoring.Web.Security;

namespace Monitoring.Web.Tests.Security;

/// <summary>The rules, judged on addresses only: nothing here opens a socket.</summary>
public sealed class OutboundPolicyTests
{
    private static OutboundPolicy Policy(Action<OutboundOptions>? configure = null, Dictionary<string, string[]>? names = null)
    {
        var options = new OutboundOptions();
        configure?.Invoke(options);
        return new OutboundPolicy(options, (host, _) => names is not null && names.TryGetValue(host, out var a)
            ? Task.FromResult(a.Select(IPAddress.Parse).ToArray())
            : throw new SocketException((int)SocketError.HostNotFound));
    }

    private static bool Allowed(OutboundPolicy policy, string address) => policy.IsAllowed(IPAddress.Parse(address), out _);

    [Theory]
    [InlineData("169.254.169.254", "link-local/cloud metadata")]
    [InlineData("::ffff:169.254.169.254", "link-local/cloud metadata")]
    [InlineData("169.254.0.1", "link-local")]
    [InlineData("169.254.255.255", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fd00:ec2::254", "cloud metadata")]
    [InlineData("100.100.100.200", "cloud metadata")]
    [InlineData("168.63.129.16", "cloud metadata")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("0.1.2.3", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("::ffff:0.0.0.0", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("::169.254.169.254", "IPv4-compatible")]
    [InlineData("64:ff9b::169.254.169.254", "NAT64")]
    public void Always_blocked_by_default(string address, string reason)
    {
        var policy = Policy(o => o.BlockPrivateRanges = false);
        Assert.False(policy.IsAllowed(IPAddress.Parse(address), out var why));
        Assert.Contains(reason, why);
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.5.4")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("fd12:3456::1")]
    [InlineData("::ffff:10.0.0.1")]
    public void Private_ranges_are_blocked_only_when_asked(string address)
    {
        Assert.True(Allowed(Policy(), address));
        var strict = Policy(o => o.BlockPrivateRanges = true);
        Assert.False(strict.IsAllowed(IPAddress.Parse(address), out var why));
        Assert.Contains("Monitoring:Outbound:BlockPrivateRanges", why);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.1.2.3")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Loopback_is_allowed_by_default_and_blocked_when_asked(string address)
    {
        Assert.True(Allowed(Policy(), address));
        var strict = Policy(o => o.AllowLoopback = false);
        Assert.False(strict.IsAllowed(IPAddress.Parse(address), out var why));
        Assert.Contains("loopback", why);
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946")]
    [InlineData("64:ff9b::93.184.216.34")] // NAT64 of a public address
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("100.63.255.255")]
    public void Public_addresses_are_allowed_even_when_private_ones_are_not(string address) =>
        Assert.True(Allowed(Policy(o => o.BlockPrivateRanges = true), address));

    [Fact]
    public void Blocked_ranges_add_to_the_rules()
    {
        var policy = Policy(o => o.BlockedRanges = ["203.0.113.0/24", "2001:db8::/32"]);
        Assert.False(policy.IsAllowed(IPAddress.Parse("203.0.113.9"), out var why));
        Assert.Contains("BlockedRanges (203.0.113.0/24)", why);
        Assert.False(Allowed(policy, "::ffff:203.0.113.9"));
        Assert.False(Allowed(policy, "2001:db8::5"));
        Assert.True(Allowed(policy, "203.0.114.1"));
    }

    [Fact]
    public void Allowed_ranges_win_over_every_block()
    {
        var policy = Policy(o =>
        {
            o.BlockPrivateRanges = true;
            o.AllowLoopback = false;
            o.BlockedRanges = ["192.168.0.0/16"];
            o.AllowedRanges = ["169.254.10.0/24", "10.1.0.0/16", "127.0.0.1", "192.168.7.7"];
        });
        Assert.True(policy.IsAllowed(IPAddress.Parse("169.254.10.20"), out var why));
        Assert.Contains("AllowedRanges (169.254.10.0/24)", why);
        Assert.True(Allowed(policy, "::ffff:169.254.10.20"));
        Assert.True(Allowed(policy, "10.1.200.3"));
        Assert.True(Allowed(policy, "127.0.0.1"));
        Assert.True(Allowed(policy, "192.168.7.7"));

        // Only what is listed: the rest of each blocked range stays blocked.
        Assert.False(Allowed(policy, "169.254.169.254"));
        Assert.False(Allowed(policy, "10.2.0.1"));
        Assert.False(Allowed(policy, "127.0.0.2"));
        Assert.False(Allowed(policy, "192.168.7.8"));
    }

    [Fact]
    public void Metadata_can_be_allowed_explicitly()
    {
        var policy = Policy(o => o.AllowedRanges = ["169.254.169.254/32"]);
        Assert.True(Allowed(policy, "169.254.169.254"));
        Assert.False(Allowed(policy, "169.254.169.253"));
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("[::ffff:169.254.169.254]")]
    [InlineData("::ffff:a9fe:a9fe")]
    [InlineData("2852039166")]       // 169.254.169.254 as one number
    [InlineData("0xa9fea9fe")]
    [InlineData("[fe80::1]")]
    [InlineData("0.0.0.0")]
    public async Task Blocked_literals_throw_without_resolving(string host)
    {
        var policy = Policy(names: []); // any name lookup would throw HostNotFound instead
        var ex = await Assert.ThrowsAsync<OutboundBlockedException>(() => policy.ResolveAllowedAsync(host, CancellationToken.None));
        Assert.StartsWith("Blocked by the outbound policy: ", ex.Message);
        Assert.Null(ex.Host);
    }

    [Fact]
    public async Task Blocked_message_names_the_address_and_the_rule()
    {
        var ex = await Assert.ThrowsAsync<OutboundBlockedException>(() => Policy().ResolveAllowedAsync("169.254.169.254", CancellationToken.None));
        Assert.Equal("Blocked by the outbound policy: 169.254.169.254 is link-local/cloud metadata.", ex.Message);
    }

    [Fact]
    public async Task A_name_is_judged_by_what_it_resolves_to()
    {
        var policy = Policy(names: new()
        {
            ["metadata.test"] = ["169.254.169.254", "fd00:ec2::254"],
            ["mixed.test"] = ["169.254.169.254", "::ffff:127.0.0.1", "127.0.0.1", "::1"],
        });

        var ex = await Assert.ThrowsAsync<OutboundBlockedException>(() => policy.ResolveAllowedAsync("metadata.test", CancellationToken.None));
        Assert.Equal("metadata.test", ex.Host);
        Assert.Equal(2, ex.Reasons.Count);
        Assert.Contains("(resolved from metadata.test)", ex.Message);

        // Only the allowed addresses are returned (normalised, once each): a connection never tries the others.
        var allowed = await policy.ResolveAllowedAsync("mixed.test", CancellationToken.None);
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], allowed);
    }

    [Fact]
    public async Task Connect_opens_no_socket_when_blocked()
    {
        var policy = Policy(o => o.BlockPrivateRanges = true);
        var attempts = new List<IPEndPoint>();
        policy.ConnectAttempt = attempts.Add;

        await Assert.ThrowsAsync<OutboundBlockedException>(() => policy.ConnectAsync("10.0.0.1", 80, CancellationToken.None));
        Assert.Empty(attempts);
    }

    [Fact]
    public async Task Empty_host_is_not_resolved()
    {
        // The system resolver answers "" with this machine's own addresses.
        await Assert.ThrowsAsync<ArgumentException>(() => Policy().ResolveAllowedAsync(" ", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Policy().ResolveAllowedAsync("[]", CancellationToken.None));
    }

    [Fact]
    public void Validation_names_the_bad_key()
    {
        var options = new MonitoringOptions();
        options.Outbound.BlockedRanges = ["10.0.0.0/8", "10.0.0.0/40"];
        options.Outbound.AllowedRanges = ["nonsense"];

        var result = new OutboundOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Monitoring:Outbound:BlockedRanges:1:", StringComparison.Ordinal) && f.Contains("10.0.0.0/40"));
        Assert.Contains(result.Failures!, f => f.StartsWith("Monitoring:Outbound:AllowedRanges:0:", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Failures!, f => f.Contains("BlockedRanges:0"));
        Assert.True(new OutboundOptionsValidator().Validate(null, new MonitoringOptions()).Succeeded);
    }
}
