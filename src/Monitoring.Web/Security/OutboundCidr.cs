using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Monitoring.Web.Security;

/// <summary>
/// An address range in CIDR notation (<c>10.0.0.0/8</c>, <c>fe80::/10</c>; a bare address is a
/// single host). Written here rather than taken from a package because it is a few lines and
/// sits on the security boundary, where every rule should be readable in one place.
/// </summary>
/// <remarks>
/// IPv4 and IPv6 ranges only ever match their own family, after both sides are normalised with
/// <see cref="Normalize"/>: an IPv4-mapped address (<c>::ffff:a.b.c.d</c>) is the IPv4 address it
/// carries, so <c>::ffff:169.254.169.254</c> cannot slip past a 169.254/16 rule. Host bits
/// after the prefix are ignored (<c>10.1.2.3/8</c> is <c>10.0.0.0/8</c>), like most tools do.
/// </remarks>
public readonly struct OutboundCidr : IEquatable<OutboundCidr>
{
    private readonly byte[] _network;

    private OutboundCidr(byte[] network, int prefixLength)
    {
        _network = network;
        PrefixLength = prefixLength;
        // Clear host bits once so Contains can compare whole bytes of the prefix.
        for (var bit = prefixLength; bit < network.Length * 8; bit++)
            network[bit / 8] &= (byte)~(0x80 >> (bit % 8));
    }

    public AddressFamily Family => _network.Length == 4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
    public int PrefixLength { get; }
    public IPAddress Network => new(_network);

    /// <summary>Parses <c>address/prefix</c> or a bare address; false on anything else.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out OutboundCidr? cidr)
    {
        cidr = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var span = text.AsSpan().Trim();
        var slash = span.IndexOf('/');
        var addressPart = slash < 0 ? span : span[..slash];
        // A zone (%eth0) names an interface, not a range; reject it rather than guess.
        if (addressPart.Contains('%') || !IPAddress.TryParse(addressPart, out var address)) return false;
        // IPAddress.TryParse accepts inet_aton forms ("10.1", "0x0a.0.0.1", octal "010.0.0.1");
        // in a range list they are typos or traps, so IPv4 must be written in plain dotted decimal.
        if (address.AddressFamily == AddressFamily.InterNetwork && !addressPart.SequenceEqual(address.ToString())) return false;

        var bytes = address.GetAddressBytes();
        var bits = bytes.Length * 8;
        var prefix = bits;
        if (slash >= 0)
        {
            var prefixPart = span[(slash + 1)..];
            if (prefixPart.Length is 0 or > 3 || prefixPart.ContainsAnyExceptInRange('0', '9')) return false;
            prefix = int.Parse(prefixPart);
            if (prefix > bits) return false;
        }

        // ::ffff:10.0.0.0/104 means 10.0.0.0/8; ranges wider than the mapped block stay IPv6.
        if (address.IsIPv4MappedToIPv6 && prefix >= 96)
        {
            bytes = address.MapToIPv4().GetAddressBytes();
            prefix -= 96;
        }
        cidr = new OutboundCidr(bytes, prefix);
        return true;
    }

    public static OutboundCidr Parse(string text) =>
        TryParse(text, out var cidr) ? cidr.Value : throw new FormatException($"'{text}' is not an IP address or CIDR range (e.g. 10.0.0.0/8, fd00::/8).");

    /// <summary>
    /// The address as the network will treat it: an IPv4-mapped IPv6 address becomes its IPv4
    /// address, and the scope id of an IPv6 address is dropped (ranges ignore it).
    /// </summary>
    public static IPAddress Normalize(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0) return new IPAddress(address.GetAddressBytes());
        return address;
    }

    public bool Contains(IPAddress address)
    {
        if (_network is null) return false;
        var candidate = Normalize(address).GetAddressBytes();
        if (candidate.Length != _network.Length) return false;
        var whole = PrefixLength / 8;
        for (var i = 0; i < whole; i++)
            if (candidate[i] != _network[i]) return false;
        var rest = PrefixLength % 8;
        if (rest == 0) return true;
        var mask = (byte)(0xFF << (8 - rest));
        return (candidate[whole] & mask) == _network[whole];
    }

    public override string ToString() => _network is null ? "" : $"{Network}/{PrefixLength}";

    public bool Equals(OutboundCidr other) => PrefixLength == other.PrefixLength && (_network ?? []).AsSpan().SequenceEqual(other._network ?? []);
    public override bool Equals(object? obj) => obj is OutboundCidr other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(ToString());
}
