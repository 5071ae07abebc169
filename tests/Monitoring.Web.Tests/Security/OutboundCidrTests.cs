using System.Net;
using Monitoring.Web.Security;

namespace Monitoring.Web.Tests.Security;

public sealed class OutboundCidrTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0", true)]
    [InlineData("10.0.0.0/8", "10.255.255.255", true)]
    [InlineData("10.0.0.0/8", "9.255.255.255", false)]
    [InlineData("10.0.0.0/8", "11.0.0.0", false)]
    [InlineData("172.16.0.0/12", "172.15.255.255", false)]
    [InlineData("172.16.0.0/12", "172.16.0.0", true)]
    [InlineData("172.16.0.0/12", "172.31.255.255", true)]
    [InlineData("172.16.0.0/12", "172.32.0.0", false)]
    [InlineData("100.64.0.0/10", "100.127.255.255", true)]
    [InlineData("100.64.0.0/10", "100.128.0.0", false)]
    [InlineData("169.254.169.254", "169.254.169.254", true)]
    [InlineData("169.254.169.254", "169.254.169.253", false)]
    [InlineData("169.254.169.254/32", "169.254.169.255", false)]
    [InlineData("0.0.0.0/0", "203.0.113.7", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    public void Ipv4_ranges_match_their_edges(string range, string address, bool expected) =>
        Assert.Equal(expected, OutboundCidr.Parse(range).Contains(IPAddress.Parse(address)));

    [Theory]
    [InlineData("fe80::/10", "fe80::1", true)]
    [InlineData("fe80::/10", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("fe80::/10", "fec0::", false)]
    [InlineData("fe80::/10", "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false)]
    [InlineData("fc00::/7", "fc00::", true)]
    [InlineData("fc00::/7", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("fc00::/7", "fe00::", false)]
    [InlineData("fd00:ec2::254", "fd00:ec2:0:0:0:0:0:254", true)]
    [InlineData("fd00:ec2::254", "fd00:ec2::255", false)]
    [InlineData("::/128", "::", true)]
    [InlineData("::/128", "::1", false)]
    [InlineData("::/0", "10.0.0.1", false)]
    public void Ipv6_ranges_match_their_edges(string range, string address, bool expected) =>
        Assert.Equal(expected, OutboundCidr.Parse(range).Contains(IPAddress.Parse(address)));

    [Theory]
    [InlineData("169.254.0.0/16", "::ffff:169.254.169.254", true)]
    [InlineData("169.254.0.0/16", "::ffff:a9fe:a9fe", true)]
    [InlineData("10.0.0.0/8", "::ffff:10.1.2.3", true)]
    [InlineData("10.0.0.0/8", "::ffff:11.1.2.3", false)]
    [InlineData("::ffff:10.0.0.0/104", "10.200.0.1", true)]
    [InlineData("::ffff:10.0.0.0/104", "::ffff:10.200.0.1", true)]
    [InlineData("::ffff:10.0.0.0/104", "11.0.0.1", false)]
    // ::a.b.c.d (IPv4-compatible) is a different address from a.b.c.d; the policy blocks it separately.
    [InlineData("10.0.0.0/8", "::10.1.2.3", false)]
    public void Ipv4_mapped_addresses_are_their_ipv4_address(string range, string address, bool expected) =>
        Assert.Equal(expected, OutboundCidr.Parse(range).Contains(IPAddress.Parse(address)));

    [Fact]
    public void Scope_id_does_not_change_the_match()
    {
        var scoped = IPAddress.Parse("fe80::1%2");
        Assert.True(OutboundCidr.Parse("fe80::/10").Contains(scoped));
        Assert.True(OutboundCidr.Parse("fe80::1").Contains(scoped));
    }

    [Theory]
    [InlineData("10.1.2.3/8", "10.0.0.0/8")]
    [InlineData("192.168.1.1", "192.168.1.1/32")]
    [InlineData(" 172.16.0.0/12 ", "172.16.0.0/12")]
    [InlineData("fe80::1/10", "fe80::/10")]
    [InlineData("::1", "::1/128")]
    [InlineData("::ffff:169.254.0.0/112", "169.254.0.0/16")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void Parse_normalises(string text, string expected) =>
        Assert.Equal(expected, OutboundCidr.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("abc")]
    [InlineData("10.0.0.0/33")]
    [InlineData("::/129")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/8/8")]
    [InlineData("10.0.0.0/ 8")]
    [InlineData("10.1/8")]       // inet_aton short form
    [InlineData("010.0.0.1")]    // octal
    [InlineData("0x0a.0.0.1")]   // hex
    [InlineData("167772161")]    // a whole address as one number
    [InlineData("fe80::1%eth0/64")]
    public void Parse_rejects_anything_ambiguous(string text)
    {
        Assert.False(OutboundCidr.TryParse(text, out _));
        Assert.Throws<FormatException>(() => OutboundCidr.Parse(text));
    }
}
