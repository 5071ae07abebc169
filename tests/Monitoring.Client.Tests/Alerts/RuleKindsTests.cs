using Monitoring.Client.Alerts;

namespace Monitoring.Client.Tests.Alerts;

public sealed class RuleKindsTests
{
    [Theory]
    [InlineData("metric", "cpu_usage{host=\"a\"}", ">", 80.0, 60, 60, "avg", "cpu_usage{host=\"a\"} > 80 for 60s")]
    [InlineData("metric", "errors_total", ">=", 5.0, 0, 300, "sum", "errors_total >= 5 (sum over 300s)")]
    [InlineData("check_unhealthy", null, null, null, 30, 60, null, "service is unhealthy for 30s")]
    [InlineData("latency", null, ">", 250.0, 0, 60, "p95", "latency > 250 ms (p95 over 60s)")]
    [InlineData("error_rate", null, ">", 5.0, 0, 300, null, "error rate > 5 % over 300s")]
    [InlineData("cert_expiry", null, "<", 14.0, 0, 0, null, "certificate expires in < 14 days")]
    [InlineData("no_data", null, null, 600.0, 0, 0, null, "no data for 600 s")]
    public void ConditionReadsAsOneLine(string kind, string? query, string? op, double? threshold, int forSeconds, int window, string? aggregation, string expected) =>
        Assert.Equal(expected, RuleKinds.Condition(kind, query, op, threshold, forSeconds, window, aggregation));

    [Fact]
    public void FieldsAKindDoesNotUseAreLeftOutOfTheBody()
    {
        var form = new RuleForm { Name = " Down ", Kind = RuleKinds.CheckUnhealthy, Query = "ignored", Threshold = 3, ServiceIds = [4] };

        var input = form.ToInput();

        Assert.Equal("Down", input.Name);
        Assert.Null(input.Query);
        Assert.Null(input.Threshold);
        Assert.Null(input.Operator);
        Assert.Null(input.WindowSeconds);
        Assert.Equal([4L], input.ServiceIds);
    }

    [Fact]
    public void AlertQueryLeavesEmptyFiltersOut()
    {
        Assert.Equal("?activeOnly=true&limit=200", new AlertQuery().ToQueryString());
        Assert.Equal("?activeOnly=false&severity=error&serviceId=9&state=pending&limit=50&offset=100",
            new AlertQuery(false, "error", 9, "pending", 50, 100).ToQueryString());
    }
}
