using System.Text.Json;
using System.Text.Json.Serialization;
using Monitoring.Core.Metrics;

namespace Monitoring.Web.Metrics;

/// <summary>Source-generated (reflection-free) reading of ingest bodies: the hot path.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(MetricSampleInput))]
[JsonSerializable(typeof(MetricSampleInput?[]))]
internal sealed partial class MetricsJson : JsonSerializerContext;
