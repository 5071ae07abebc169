using Monitoring.Core.Alerts;

namespace Monitoring.Core.Tests.Alerts;

public class AlertQueryTests
{
    [Fact]
    public void ParsesNameAndEveryMatcherKind()
    {
        var q = AlertQuery.TryParse("cpu_usage{host=\"a\", env!=\"dev\", dc=~\"eu-.*\", rack!~'r[0-9]'}", out _, out var error);
        Assert.Null(error);
        Assert.NotNull(q);
        Assert.Equal("cpu_usage", q.Metric);
        Assert.Equal([MatchOp.Equal, MatchOp.NotEqual, MatchOp.Regex, MatchOp.NotRegex], q.Matchers.Select(m => m.Op));
        Assert.Null(q.Operator);
    }

    [Fact]
    public void ATrailingComparisonBecomesOperatorAndThreshold()
    {
        var q = AlertQuery.TryParse("cpu_usage{host=\"a\"} > 80", out _, out _)!;
        Assert.Equal(ComparisonOperator.GreaterThan, q.Operator);
        Assert.Equal(80, q.Threshold);
        Assert.Equal(ComparisonOperator.NotEqual, AlertQuery.TryParse("up != 1", out _, out _)!.Operator);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("cpu{host=\"a\"", 12)]
    [InlineData("cpu{host~\"a\"}", 8)]
    [InlineData("cpu{host=a}", 9)]
    [InlineData("cpu{host=\"a} ", 9)]
    [InlineData("cpu > x", 6)]
    [InlineData("cpu => 3", 4)]
    [InlineData("cpu{1x=\"a\"}", 4)]
    [InlineData("cpu{x=~\"(\"}", 7)]
    public void BadSyntaxPointsAtThePosition(string text, int position)
    {
        Assert.Null(AlertQuery.TryParse(text, out var at, out var error));
        Assert.Equal(position, at);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void SelectsSeriesByLabels_MissingLabelIsEmpty_ServiceFallsBackToTheSeriesService()
    {
        var q = AlertQuery.TryParse("cpu{host=~\"web-.*\",env!=\"dev\",service=\"api\"}", out _, out _)!;
        Assert.True(q.Selects("cpu", "api", [new("host", "web-1")]));
        Assert.False(q.Selects("cpu", "api", [new("host", "web-1"), new("env", "dev")]));
        Assert.False(q.Selects("cpu", "api", [new("host", "db-1")]));
        Assert.False(q.Selects("cpu", "other", [new("host", "web-1")]));
        Assert.False(q.Selects("mem", "api", [new("host", "web-1")]));
    }

    [Theory]
    [InlineData(">", 81, true)]
    [InlineData(">", 80, false)]
    [InlineData(">=", 80, true)]
    [InlineData("<", 79, true)]
    [InlineData("<=", 81, false)]
    [InlineData("==", 80, true)]
    [InlineData("!=", 80, false)]
    public void OperatorsCompareValueWithThreshold(string op, double value, bool holds)
    {
        Assert.True(Comparison.TryParse(op, out var parsed));
        Assert.Equal(holds, parsed.Holds(value, 80));
        Assert.Equal(op, parsed.ToText());
    }

    [Fact]
    public void RuleValidation_UnknownOperatorListsTheAllowedOnes()
    {
        var errors = new Dictionary<string, string[]>();
        Assert.Null(AlertRuleSpec.Validate(new AlertRuleInput("r", null, "metric", "cpu", "=>", 1, null, null, null, null, null, null, null, null, null), errors));
        Assert.Contains("> >= < <= == !=", errors["operator"][0]);
    }

    [Fact]
    public void RuleValidation_NamesEveryBadField()
    {
        var errors = new Dictionary<string, string[]>();
        var input = new AlertRuleInput("", null, "nope", "cpu{", ">", double.NaN, -1, 0, "median", "urgent",
            new Dictionary<string, string> { ["__x"] = "v" }, [0], null, -5, null);
        Assert.Null(AlertRuleSpec.Validate(input, errors));
        foreach (var field in new[] { "name", "kind", "forSeconds", "windowSeconds", "aggregation", "severity", "labels.__x", "channelIds", "repeatIntervalSeconds" })
            Assert.True(errors.ContainsKey(field), field);
        errors.Clear();
        Assert.Null(AlertRuleSpec.Validate(new AlertRuleInput("r", null, null, "cpu{", ">", 1, null, null, null, null, null, null, null, null, null), errors));
        Assert.Contains("position 4", errors["query"][0]);
    }

    [Fact]
    public void RuleValidation_DefaultsPerKind()
    {
        var errors = new Dictionary<string, string[]>();
        var spec = AlertRuleSpec.Validate(new AlertRuleInput("down", null, "check_unhealthy", null, null, null, null, null, null, "critical", null, null, [3], null, null), errors)!;
        Assert.Empty(errors);
        Assert.Equal(AlertRuleKind.CheckUnhealthy, spec.Kind);
        Assert.Equal(AlertSeverity.Critical, spec.Severity);
        Assert.Equal(3600, spec.RepeatIntervalSeconds);
        Assert.True(spec.IsCheckRule);
        var cert = AlertRuleSpec.Validate(new AlertRuleInput("cert", null, "cert_expiry", null, null, 14, null, null, null, null, null, null, null, null, null), errors)!;
        Assert.Equal(ComparisonOperator.LessThan, cert.Operator);
        var metric = AlertRuleSpec.Validate(new AlertRuleInput("cpu", null, null, "cpu_usage{host=\"a\"} > 80", null, null, 30, null, null, null, null, null, null, null, null), errors)!;
        Assert.Equal(ComparisonOperator.GreaterThan, metric.Operator);
        Assert.Equal(80, metric.Threshold);
        Assert.False(metric.IsCheckRule);
    }

    [Theory]
    [InlineData("avg", 2.5)]
    [InlineData("min", 1)]
    [InlineData("max", 4)]
    [InlineData("sum", 10)]
    [InlineData("count", 4)]
    [InlineData("last", 4)]
    [InlineData("p95", 4)]
    public void AggregatesWindowValues(string aggregation, double expected) =>
        Assert.Equal(expected, AlertRuleSpec.Aggregate(aggregation, [1, 2, 3, 4]));
}
