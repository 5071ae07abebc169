using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Monitoring.Core.Services;
using Monitoring.Web.Security;

namespace Monitoring.Web.Checks;

/// <summary>
/// Resolves the target host name through the system resolver (so /etc/hosts counts, as it does
/// for the services that use the name). Healthy when it resolves to at least one address.
/// A <c>bodyContains</c> condition names an address that must be among the answers (compared as
/// parsed IP addresses, so <c>::1</c> and <c>0:0::1</c> match); with <c>!=</c> it must not be.
/// </summary>
/// <remarks>
/// A lookup connects to nothing but the resolver, so the outbound policy does not fail a dns
/// check: the answer is what the user asked about (and "internal.example resolves to 10.x" is a
/// legitimate thing to watch). Answers the policy would block are named in the message, because
/// that is why an http/tcp check on the same name fails.
/// </remarks>
/// <param name="outbound">The app's policy (DI); without one, the built-in rules (<see cref="OutboundPolicy.Default"/>).</param>
public sealed class DnsChecker(OutboundPolicy? outbound = null) : IChecker
{
    private readonly OutboundPolicy _outbound = outbound ?? OutboundPolicy.Default;

    public ServiceType Type => ServiceType.Dns;

    public async Task<CheckOutcome> CheckAsync(ServiceDefinition service, CancellationToken cancellationToken)
    {
        var host = service.Target.Trim();
        var started = Stopwatch.GetTimestamp();
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException ex)
        {
            return CheckOutcome.Down(Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"'{host}' does not resolve: {ex.Message}.");
        }
        catch (ArgumentException ex)
        {
            return CheckOutcome.Down(Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"'{host}' is not a valid host name: {ex.Message}");
        }
        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (addresses.Length == 0) return CheckOutcome.Down(latency, $"'{host}' resolved to no addresses.");

        var answer = string.Join(", ", addresses.Select(a => a.ToString()));
        foreach (var condition in service.Conditions)
        {
            if (condition.Is(ConditionRules.BodyContains))
            {
                var present = IPAddress.TryParse(condition.Value.Trim(), out var expected)
                    ? addresses.Any(a => a.Equals(expected) || (a.IsIPv4MappedToIPv6 && a.MapToIPv4().Equals(expected)))
                    : addresses.Any(a => a.ToString() == condition.Value.Trim());
                if (present == condition.IsNegated())
                    return CheckOutcome.Down(latency, $"Condition failed: {condition.Describe()} (resolved to {answer}).");
            }
            else if (condition.Is(ConditionRules.LatencyMs) && !condition.Holds(latency, "<="))
            {
                return CheckOutcome.Down(latency, condition.Failed($"{latency:F0} ms", "<="));
            }
        }
        var blocked = addresses.Select(a => _outbound.IsAllowed(a, out var reason) ? null : reason).OfType<string>().ToList();
        var note = blocked.Count == 0 ? "" : $" Checks will not connect to {(blocked.Count == 1 ? "it" : "these")}, blocked by the outbound policy: {string.Join("; ", blocked)}.";
        return CheckOutcome.Up(latency, $"Resolved to {answer}.{note}");
    }
}
