using System.Text;
using Microsoft.Extensions.Options;
using Monitoring.Core.Metrics;
using Monitoring.Web.Hosting;
using Monitoring.Web.Metrics;

namespace Monitoring.Web.Tests.Metrics;

/// <summary>The ingest fast path gives exactly what the general path gives, or declines.</summary>
public sealed class MetricsIngestParserTests
{
    private const long Now = 1_800_000_000_000;
    private readonly IngestParser _parser = new(Options.Create(new MonitoringOptions()));

    private bool Fast(string json, out List<(string Key, MetricType Type, long Ts, double Value)> samples)
    {
        var ok = _parser.TryRead(Encoding.UTF8.GetBytes(json), Now, Now - 86_400_000, Now + 600_000, 10_000, out var rented, out var count);
        samples = ok ? rented.Take(count).Select(s => (s.Identity.Key, s.Type, s.TimestampMs, s.Value)).ToList() : [];
        if (ok) IngestParser.Return(rented);
        return ok;
    }

    private static List<(string Key, MetricType Type, long Ts, double Value)> General(string json)
    {
        var (inputs, errors) = MetricsApi.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Null(errors);
        var valid = MetricSampleValidator.Validate(inputs!, Now, Now - 86_400_000, Now + 600_000, []);
        Assert.NotNull(valid);
        return valid.Select(s => (s.Key, s.Type, s.TimestampMs, s.Value)).ToList();
    }

    [Theory]
    [InlineData("""{"name":"up","type":"gauge","value":1}""")]
    [InlineData("""[{"name":"up","type":"counter","value":1.5e3,"labels":{"b":"2","a":"1"},"service":"api","timestamp":"2027-01-15T08:00:00.123Z"}]""")]
    [InlineData("""[{"name":"up","type":"gauge","value":1,"labels":{"a":"1","b":"2"}},{"name":"up","type":"gauge","value":2,"labels":{"b":"2","a":"1"}}]""")]
    [InlineData("""[{"value":-3,"type":"histogram","name":"lat_ms","labels":null,"service":null,"timestamp":null}]""")]
    [InlineData("""[{"name":"up","type":"summary","value":0,"extra":{"nested":[1,2,{"x":null}]},"labels":{}}]""")]
    [InlineData("""[{"name":"up","type":"gauge","value":1,"labels":{"path":"C:\\dir","u":"\u00e9\u002b"},"service":"\u0061pi"}]""")]
    [InlineData(" \r\n [ {\"name\" : \"up\" , \"type\" : \"gauge\" , \"value\" : 1 } ] \n")]
    public void AGoodBodyGivesWhatTheGeneralPathGives(string json)
    {
        Assert.True(Fast(json, out var fast), "the fast path declined");
        Assert.Equal(General(json), fast);
        // A second read hits the identity cache and still agrees.
        Assert.True(Fast(json, out var again));
        Assert.Equal(fast, again);
    }

    [Theory]
    [InlineData("""[{"Name":"up","type":"gauge","value":1}]""")] // other letter case: the deserializer matches it
    [InlineData("""[{"name":"up","type":"Gauge","value":1}]""")]
    [InlineData("""[{"name":"up","name":"down","type":"gauge","value":1}]""")]
    [InlineData("""[{"name":"up","type":"gauge","value":1,"labels":{"a":"1","a":"2"}}]""")]
    [InlineData("\uFEFF[{\"name\":\"up\",\"type\":\"gauge\",\"value\":1}]")]
    [InlineData("""[{"name":"bad-name","type":"gauge","value":1}]""")]
    [InlineData("""[{"name":"up","type":"counter","value":-1}]""")]
    [InlineData("""[{"name":"up","type":"gauge","value":"1"}]""")]
    [InlineData("""[{"name":"up","type":"gauge","value":1e999}]""")]
    [InlineData("""[{"name":"up","type":"gauge","value":1,"labels":{"a":3}}]""")]
    [InlineData("""[{"name":"up","type":"gauge","value":1,"timestamp":"2001-01-01T00:00:00Z"}]""")]
    [InlineData("""[{"name":"up","type":"gauge","value":1}] x""")]
    [InlineData("""[{"name":"up","type":"gauge","value":1},null]""")]
    [InlineData("""[]""")]
    [InlineData("""42""")]
    public void AnythingUnusualOrWrongGoesTheGeneralWay(string json) => Assert.False(Fast(json, out _));
}
