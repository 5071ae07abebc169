using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Monitoring.Core.Metrics;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Metrics;

/// <summary>
/// The fast path of <c>POST /api/v1/metrics</c>: one pass of <see cref="Utf8JsonReader"/> over the
/// body straight into <see cref="IngestSample"/>s, with no intermediate objects. A series is looked
/// up by the raw bytes of its name, service and labels object as the client sent them (clients
/// send the same bytes for the same series), so a known series costs a hash of those bytes and no
/// string, dictionary or key building.
/// </summary>
/// <remarks>
/// It only accepts what it is sure about: any request with something unusual or wrong (a bad
/// field, a null, a duplicate property, a property in other letter case, a BOM, too many samples)
/// makes it answer "not mine", and the endpoint runs the general path (the source-generated
/// deserializer and <see cref="MetricSampleValidator"/>), which produces the same samples for a
/// good request and the exact error messages for a bad one. The identity cache only holds
/// identities that passed validation.
/// </remarks>
public sealed class IngestParser(IOptions<MonitoringOptions> options)
{
    private readonly ConcurrentDictionary<byte[], SeriesIdentity> _identities = new(RawKeyComparer.Instance);
    private readonly int _maxIdentities = Math.Clamp(options.Value.Metrics.MaxSeries * 2, 1_024, 4_000_000);
    private int _identityCount;

    // Which properties a sample object had (bit per field).
    private const int HasName = 1, HasType = 2, HasValue = 4, HasLabels = 8, HasService = 16, HasTimestamp = 32;

    /// <summary>
    /// Parses and validates the body; on success <paramref name="samples"/> is a rented array
    /// (return it with <see cref="Return"/>) holding <paramref name="count"/> samples.
    /// False means: use the general path. (Not called TryParse: minimal APIs would take a
    /// TryParse method for a parameter-binding hook of this type.)
    /// </summary>
    public bool TryRead(ReadOnlySpan<byte> json, long nowMs, long oldestMs, long newestMs, int maxSamples,
        out IngestSample[] samples, out int count)
    {
        samples = ArrayPool<IngestSample>.Shared.Rent(Math.Clamp(json.Length / 64 + 1, 1, maxSamples));
        count = 0;
        var scratch = ArrayPool<byte>.Shared.Rent(512);
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
            if (!reader.Read()) return Fail(ref samples);
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                if (!TryReadSample(ref reader, json, nowMs, oldestMs, newestMs, ref scratch, out samples[0])) return Fail(ref samples);
                count = 1;
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (true)
                {
                    if (!reader.Read()) return Fail(ref samples);
                    if (reader.TokenType == JsonTokenType.EndArray) break;
                    if (reader.TokenType != JsonTokenType.StartObject || count == maxSamples) return Fail(ref samples);
                    if (count == samples.Length) Grow(ref samples, maxSamples);
                    if (!TryReadSample(ref reader, json, nowMs, oldestMs, newestMs, ref scratch, out samples[count])) return Fail(ref samples);
                    count++;
                }
                if (count == 0) return Fail(ref samples);
            }
            else return Fail(ref samples);
            // Nothing but whitespace may follow.
            if (reader.Read()) return Fail(ref samples);
            return true;
        }
        catch (JsonException)
        {
            count = 0;
            return Fail(ref samples);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    public static void Return(IngestSample[] samples) => ArrayPool<IngestSample>.Shared.Return(samples, clearArray: true);

    private static bool Fail(ref IngestSample[] samples)
    {
        Return(samples);
        samples = [];
        return false;
    }

    private static void Grow(ref IngestSample[] samples, int max)
    {
        var bigger = ArrayPool<IngestSample>.Shared.Rent(Math.Min(max, samples.Length * 2));
        samples.AsSpan().CopyTo(bigger);
        Return(samples);
        samples = bigger;
    }

    /// <summary>Reads one sample object (the reader is on its StartObject) and validates it.</summary>
    private bool TryReadSample(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, long nowMs, long oldestMs, long newestMs,
        ref byte[] scratch, out IngestSample sample)
    {
        sample = default;
        var seen = 0;
        ReadOnlySpan<byte> name = default, service = default, labels = default;
        var type = MetricType.Gauge;
        double value = 0;
        var ts = nowMs;
        while (true)
        {
            if (!reader.Read()) return false;
            if (reader.TokenType == JsonTokenType.EndObject) break;
            var field = Field(ref reader);
            if (field < 0) return false;
            if ((seen & field) != 0) return false;
            seen |= field;
            if (!reader.Read()) return false;
            switch (field)
            {
                case 0:
                    reader.Skip();
                    break;
                case HasName:
                    if (reader.TokenType != JsonTokenType.String) return false;
                    name = reader.ValueSpan;
                    break;
                case HasType:
                    if (reader.TokenType != JsonTokenType.String) return false;
                    if (reader.ValueTextEquals("gauge"u8)) type = MetricType.Gauge;
                    else if (reader.ValueTextEquals("counter"u8)) type = MetricType.Counter;
                    else if (reader.ValueTextEquals("histogram"u8)) type = MetricType.Histogram;
                    else if (reader.ValueTextEquals("summary"u8)) type = MetricType.Summary;
                    else return false;
                    break;
                case HasValue:
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out value) || !double.IsFinite(value)) return false;
                    break;
                case HasLabels:
                    if (reader.TokenType == JsonTokenType.Null) break;
                    if (reader.TokenType != JsonTokenType.StartObject) return false;
                    var start = (int)reader.TokenStartIndex;
                    var pairs = 0;
                    while (true)
                    {
                        if (!reader.Read()) return false;
                        if (reader.TokenType == JsonTokenType.EndObject) break;
                        // Property name, then a string value; anything else goes the general way.
                        if (!reader.Read() || reader.TokenType != JsonTokenType.String || ++pairs > MetricNaming.MaxLabels) return false;
                    }
                    labels = json[start..(int)reader.BytesConsumed];
                    break;
                case HasService:
                    if (reader.TokenType == JsonTokenType.Null) break;
                    if (reader.TokenType != JsonTokenType.String) return false;
                    service = reader.ValueSpan;
                    break;
                case HasTimestamp:
                    if (reader.TokenType == JsonTokenType.Null) break;
                    if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var at)) return false;
                    ts = at.ToUnixTimeMilliseconds();
                    break;
            }
        }
        if ((seen & (HasName | HasType | HasValue)) != (HasName | HasType | HasValue)) return false;
        if (type == MetricType.Counter && value < 0) return false;
        if (ts < oldestMs || ts > newestMs) return false;
        var identity = Identity(name, service, labels, ref scratch);
        if (identity is null) return false;
        sample = new IngestSample(identity, type, ts, value);
        return true;
    }

    /// <summary>Which field a property names (0: none of ours, skipped); -1 when the general path must decide.</summary>
    private static int Field(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("name"u8)) return HasName;
        if (reader.ValueTextEquals("value"u8)) return HasValue;
        if (reader.ValueTextEquals("type"u8)) return HasType;
        if (reader.ValueTextEquals("labels"u8)) return HasLabels;
        if (reader.ValueTextEquals("timestamp"u8)) return HasTimestamp;
        if (reader.ValueTextEquals("service"u8)) return HasService;
        // The deserializer matches names case-insensitively; leave those spellings to it.
        var other = reader.GetString()!;
        foreach (var known in s_fields)
            if (string.Equals(other, known, StringComparison.OrdinalIgnoreCase)) return -1;
        return 0;
    }

    private static readonly string[] s_fields = ["name", "type", "value", "labels", "service", "timestamp"];

    /// <summary>The identity for these raw bytes: cached, else decoded, validated and cached; null when not valid.</summary>
    private SeriesIdentity? Identity(ReadOnlySpan<byte> name, ReadOnlySpan<byte> service, ReadOnlySpan<byte> labels, ref byte[] scratch)
    {
        // name NUL service NUL labels-object: raw JSON never holds a NUL byte, so this is unambiguous.
        var length = name.Length + service.Length + labels.Length + 2;
        if (length > scratch.Length)
        {
            ArrayPool<byte>.Shared.Return(scratch);
            scratch = ArrayPool<byte>.Shared.Rent(length);
        }
        var key = scratch.AsSpan(0, length);
        name.CopyTo(key);
        key[name.Length] = 0;
        service.CopyTo(key[(name.Length + 1)..]);
        key[name.Length + 1 + service.Length] = 0;
        labels.CopyTo(key[(name.Length + service.Length + 2)..]);

        var lookup = _identities.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (lookup.TryGetValue(key, out var identity)) return identity;

        identity = Decode(name, service, labels);
        if (identity is null) return null;
        // Bounded: a flood of distinct series (refused later by the series limit) cannot grow it forever.
        if (Interlocked.Increment(ref _identityCount) > _maxIdentities)
        {
            _identities.Clear();
            Interlocked.Exchange(ref _identityCount, 1);
        }
        return lookup.TryAdd(key, identity) || !lookup.TryGetValue(key, out var raced) ? identity : raced;
    }

    private static SeriesIdentity? Decode(ReadOnlySpan<byte> rawName, ReadOnlySpan<byte> rawService, ReadOnlySpan<byte> rawLabels)
    {
        try
        {
            var name = DecodeString(rawName);
            var service = DecodeString(rawService);
            if (!MetricNaming.IsValidMetricName(name)) return null;
            if (service.Length > MetricSampleValidator.MaxServiceLength || service.Contains('\0')) return null;
            Dictionary<string, string>? labels = null;
            if (rawLabels.Length > 0)
            {
                labels = [];
                var reader = new Utf8JsonReader(rawLabels);
                reader.Read();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var k = reader.GetString()!;
                    reader.Read();
                    var v = reader.GetString()!;
                    if (!MetricNaming.IsValidLabelName(k) || v.Length > MetricNaming.MaxLabelValueLength || v.Contains('\0')) return null;
                    if (!labels.TryAdd(k, v)) return null; // duplicate label: the general path decides
                }
            }
            var sorted = SeriesKey.SortLabels(labels);
            return new SeriesIdentity(SeriesKey.Build(name, service, sorted), name, service, sorted);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null; // e.g. invalid UTF-8
        }
    }

    private static string DecodeString(ReadOnlySpan<byte> raw)
    {
        if (raw.Length == 0) return "";
        var quoted = new byte[raw.Length + 2];
        quoted[0] = quoted[^1] = (byte)'"';
        raw.CopyTo(quoted.AsSpan(1));
        var reader = new Utf8JsonReader(quoted);
        reader.Read();
        return reader.GetString()!;
    }

    /// <summary>Byte-array keys looked up by span without allocating.</summary>
    private sealed class RawKeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly RawKeyComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(byte[] obj) => Hash(obj);
        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);
        public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);
        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

        private static int Hash(ReadOnlySpan<byte> bytes)
        {
            var h = new HashCode();
            h.AddBytes(bytes);
            return h.ToHashCode();
        }
    }
}
