using Monitoring.Web.Metrics;

namespace Monitoring.Web.Tests.Metrics;

public sealed class SampleCodecTests
{
    private static readonly double[] s_edgeValues =
    [
        0.0, -0.0, 1.0, -1.0, double.MaxValue, double.MinValue, double.Epsilon, -double.Epsilon,
        1e-308, 2.2250738585072014E-308, 123456789.123, 0.1, 0.2, 0.30000000000000004, 42, 42, 42, 1e15, -1e15,
    ];

    private static List<StoredSample> RandomSamples(Random random, int count)
    {
        var samples = new List<StoredSample>(count);
        var ts = random.NextInt64(0, 2_000_000_000_000);
        var value = 100.0;
        for (var i = 0; i < count; i++)
        {
            // Mostly regular steps; sometimes equal, earlier (out of order) or far-off timestamps.
            ts += random.Next(10) switch
            {
                0 => 0,
                1 => -random.Next(1, 100_000),
                2 => random.NextInt64(-1_000_000_000_000, 1_000_000_000_000),
                _ => 1_000 + random.Next(-3, 4),
            };
            value = random.Next(6) switch
            {
                0 => value,                                       // repeat
                1 => s_edgeValues[random.Next(s_edgeValues.Length)],
                2 => Math.Round(random.NextDouble() * 1000, 1),
                3 => random.Next(-1_000_000, 1_000_000),
                _ => BitConverter.Int64BitsToDouble(random.NextInt64()) is var d && double.IsFinite(d) ? d : 1.5,
            };
            samples.Add(new StoredSample(ts, value));
        }
        return samples;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(4, 500)]
    [InlineData(5, 10_000)]
    public void AChunkDecodesToExactlyWhatWasEncodedInTheSameOrder(int seed, int count)
    {
        var samples = RandomSamples(new Random(seed), count);
        var decoded = SampleCodec.DecodeChunk(SampleCodec.EncodeChunk(samples.ToArray()));
        Assert.Equal(samples.Count, decoded.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            Assert.Equal(samples[i].Ts, decoded[i].Ts);
            // Bit for bit: -0.0 stays -0.0.
            Assert.Equal(BitConverter.DoubleToInt64Bits(samples[i].Value), BitConverter.DoubleToInt64Bits(decoded[i].Value));
        }
    }

    [Fact]
    public void ExtremeTimestampsAndDeltasRoundTrip()
    {
        StoredSample[] samples =
        [
            new(long.MaxValue, 1), new(long.MinValue, 2), new(0, 3), new(long.MaxValue, 4), new(-1, 5), new(-1, 6), new(long.MinValue + 1, 7),
        ];
        Assert.Equal(samples, SampleCodec.DecodeChunk(SampleCodec.EncodeChunk(samples)));
    }

    [Fact]
    public void RegularSamplesCostAboutTwoBytesEach()
    {
        var samples = Enumerable.Range(0, 1_000).Select(i => new StoredSample(1_700_000_000_000 + i * 10_000L, 7.0)).ToArray();
        // One timestamp byte (delta-of-delta 0) and one value byte (repeat) per sample after the first.
        Assert.True(SampleCodec.EncodeChunk(samples).Length <= 2 * samples.Length + 20);
    }

    [Fact]
    public void ALogPayloadRoundTrips()
    {
        var random = new Random(7);
        var rows = RandomSamples(random, 5_000).Select(s => ((long)random.Next(1, 100_000), s.Ts, s.Value)).ToArray();
        var w = new ByteWriter();
        SampleCodec.EncodeLog(w, rows);
        var decoded = new List<(long SeriesId, long Ts, double Value)>();
        SampleCodec.DecodeLog(w.Written, decoded);
        Assert.Equal(rows, decoded);
    }

    [Fact]
    public void ATruncatedChunkIsReportedNotMisread()
    {
        var data = SampleCodec.EncodeChunk([new(1_000, 1.5), new(2_000, 2.5)]);
        Assert.Throws<InvalidDataException>(() => SampleCodec.DecodeChunk(data.AsSpan(0, data.Length - 1)));
    }

    [Fact]
    public void SortingKeepsTheLastWrittenOfEqualTimestampsAndTheRange()
    {
        var written = new List<StoredSample> { new(30, 1), new(10, 2), new(30, 3), new(20, 4), new(10, 5), new(40, 6), new(5, 7) };
        var sorted = SampleStore.SortNewestWins(written, 10, 30);
        Assert.Equal([new(10, 5), new(20, 4), new(30, 3)], sorted);

        var random = new Random(3);
        var many = Enumerable.Range(0, 20_000).Select(i => new StoredSample(random.Next(0, 5_000), i)).ToList();
        var expected = many.Select((s, i) => (s, i)).GroupBy(x => x.s.Ts).OrderBy(g => g.Key).Select(g => g.Last().s).ToList();
        Assert.Equal(expected, SampleStore.SortNewestWins(many, long.MinValue, long.MaxValue));
    }
}
