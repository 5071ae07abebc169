using Monitoring.Core.Metrics;

namespace Monitoring.Core.Tests.Metrics;

public class MetricValidationTests
{
    private const long Now = 1_700_000_000_000;

    private static (ValidSample[]? Valid, Dictionary<string, string[]> Errors) Validate(params MetricSampleInput?[] inputs)
    {
        var errors = new Dictionary<string, string[]>();
        return (MetricSampleValidator.Validate(inputs, Now, Now - 3_600_000, Now + 600_000, errors), errors);
    }

    private static MetricSampleInput Good() => new() { Name = "http_requests_total", Type = "counter", Value = 3, Labels = new() { ["env"] = "prod" } };

    [Theory]
    [InlineData("http_requests_total", true)]
    [InlineData("job:rate5m", true)]
    [InlineData("_x", true)]
    [InlineData("1abc", false)]
    [InlineData("a-b", false)]
    [InlineData("", false)]
    [InlineData("a b", false)]
    public void MetricNamesFollowPrometheus(string name, bool valid) => Assert.Equal(valid, MetricNaming.IsValidMetricName(name));

    [Theory]
    [InlineData("env", true)]
    [InlineData("a:b", false)]
    [InlineData("__name__", false)]
    [InlineData("9x", false)]
    public void LabelNamesFollowPrometheus(string name, bool valid) => Assert.Equal(valid, MetricNaming.IsValidLabelName(name));

    [Fact]
    public void AGoodSampleIsAcceptedWithItsSeriesKey()
    {
        var (valid, errors) = Validate(Good());
        Assert.Empty(errors);
        Assert.Equal(Now, valid![0].TimestampMs);
        Assert.Equal(MetricType.Counter, valid[0].Type);
    }

    [Fact]
    public void EveryBadFieldIsNamedWithItsIndexAndNothingIsAccepted()
    {
        var (valid, errors) = Validate(
            Good(),
            new MetricSampleInput { Name = "bad-name", Type = "counter", Value = 1 },
            new MetricSampleInput { Name = "ok", Type = "bogus", Value = 1 },
            new MetricSampleInput { Name = "ok", Type = "gauge", Value = double.NaN },
            new MetricSampleInput { Name = "ok", Type = "gauge", Value = double.PositiveInfinity },
            new MetricSampleInput { Name = "ok", Type = "gauge" },
            new MetricSampleInput { Name = "ok", Type = "gauge", Value = 1, Labels = new() { ["bad-key"] = "x" } },
            new MetricSampleInput { Name = "ok", Type = "gauge", Value = 1, Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(Now - 7_200_000) },
            new MetricSampleInput { Name = "ok", Type = "gauge", Value = 1, Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(Now + 7_200_000) },
            new MetricSampleInput { Name = "ok", Type = "counter", Value = -1 },
            null);
        Assert.Null(valid);
        Assert.Equal(["[1].name", "[2].type", "[3].value", "[4].value", "[5].value", "[6].labels.bad-key", "[7].timestamp", "[8].timestamp", "[9].value", "[10]"],
            errors.Keys.Order(StringComparer.Ordinal).OrderBy(k => int.Parse(k[1..k.IndexOf(']')])).ToArray());
        Assert.Contains("counter, gauge, histogram, summary", errors["[2].type"][0]);
    }

    [Fact]
    public void LabelOrderDoesNotChangeTheSeries()
    {
        var a = SeriesKey.Build("m", "", SeriesKey.SortLabels(new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }));
        var b = SeriesKey.Build("m", "", SeriesKey.SortLabels(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }));
        var c = SeriesKey.Build("m", "svc", SeriesKey.SortLabels(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void LabelMatchersParseAndMatch()
    {
        var matchers = LabelMatcher.TryParse("env=prod, region!=eu", out var error)!;
        Assert.Null(error);
        KeyValuePair<string, string>[] Labels(params (string K, string V)[] l) => l.Select(x => new KeyValuePair<string, string>(x.K, x.V)).ToArray();
        Assert.True(LabelMatcher.MatchAll(matchers, Labels(("env", "prod"), ("region", "us")), ""));
        Assert.True(LabelMatcher.MatchAll(matchers, Labels(("env", "prod")), ""));
        Assert.False(LabelMatcher.MatchAll(matchers, Labels(("env", "prod"), ("region", "eu")), ""));
        Assert.False(LabelMatcher.MatchAll(matchers, Labels(("env", "dev")), ""));
        Assert.True(LabelMatcher.MatchAll(LabelMatcher.TryParse("service=api", out _)!, [], "api"));
        Assert.Null(LabelMatcher.TryParse("novalue", out error));
        Assert.NotNull(error);
        Assert.Null(LabelMatcher.TryParse("bad-key=1", out _));
    }

    [Theory]
    [InlineData("60s", 60_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("7d", 604_800_000)]
    [InlineData("250ms", 250)]
    [InlineData("30", 30_000)]
    public void DurationsParse(string text, long ms)
    {
        Assert.True(Durations.TryParseMs(text, out var parsed));
        Assert.Equal(ms, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("-5s")]
    [InlineData("0s")]
    public void BadDurationsDoNotParse(string text) => Assert.False(Durations.TryParseMs(text, out _));
}
