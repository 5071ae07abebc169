using System.Text.Json;
using System.Text.Json.Serialization;
using Monitoring.Core.Metrics;

namespace Monitoring.Web.Metrics;

/// <summary>Source-generated (reflection-free) reading of ingest bodies: the hot path.</summary>
// Strict numbers: "12" or "NaN" as a string is a wrong type, not a value.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(MetricSampleInput))]
[JsonSerializable(typeof(MetricSampleInput?[]))]
internal sealed partial class MetricsJson : JsonSerializerContext;
