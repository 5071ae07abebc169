using Monitoring.Client.Admin;

namespace Monitoring.Client.Tests.Admin;

public sealed class AuditQueryTests
{
    [Fact]
    public void EmptyFiltersAreLeftOut() =>
        Assert.Equal("?limit=50&offset=0", new AuditQuery(Actor: " ", Action: "").ToQueryString());

    [Fact]
    public void ValuesAreEscapedAndTimesSentAsUtc()
    {
        var query = new AuditQuery("a&b=c", "user.", new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.FromHours(2)), null, 10, 20);

        Assert.Equal("?actor=a%26b%3Dc&action=user.&from=2026-11-24T08%3A00%3A00Z&limit=10&offset=20", query.ToQueryString());
    }
}
