using System.Buffers;
using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using Monitoring.Core.Metrics;
using Monitoring.Web.Hosting;
using Monitoring.Web.Metrics;

namespace Monitoring.Benchmarks;

/// <summary>
/// Reading one ingest body of 1,000 samples (the IngestBench's shape: two labels, a service, an
/// ISO timestamp) into validated samples, per sample: the fast path against the general path
/// (source-generated deserializer, then the validator and series keys).
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class IngestParserBenchmarks
{
    private const int Samples = 1000;
    private byte[] _body = [];
    private IngestParser _parser = null!;
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        _parser = new IngestParser(Options.Create(new MonitoringOptions()));
        _now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            for (var k = 0; k < Samples; k++)
            {
                w.WriteStartObject();
                w.WriteString("name", k % 2 == 0 ? "bench_requests_total" : "bench_latency_ms");
                w.WriteString("type", k % 2 == 0 ? "counter" : "histogram");
                w.WriteNumber("value", k * 7919 % 1000 / 10.0);
                w.WriteStartObject("labels");
                w.WriteString("instance", "i" + (k / 2).ToString(CultureInfo.InvariantCulture));
                w.WriteString("env", "bench");
                w.WriteEndObject();
                w.WriteString("service", "bench");
                w.WriteString("timestamp", DateTimeOffset.FromUnixTimeMilliseconds(_now - 60_000 + k));
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        _body = buffer.WrittenSpan.ToArray();
    }

    [Benchmark(OperationsPerInvoke = Samples)]
    public int FastPath()
    {
        if (!_parser.TryRead(_body, _now, _now - 86_400_000, _now + 600_000, 10_000, out var samples, out var count))
            throw new InvalidOperationException("The fast path refused a good body.");
        IngestParser.Return(samples);
        return count;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Samples)]
    public int GeneralPath()
    {
        var (inputs, _) = MetricsApi.Parse(_body);
        var valid = MetricSampleValidator.Validate(inputs!, _now, _now - 86_400_000, _now + 600_000, []);
        return valid!.Length;
    }
}
