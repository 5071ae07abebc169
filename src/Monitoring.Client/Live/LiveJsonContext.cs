using System.Text.Json.Serialization;
using Monitoring.Core.Realtime;

namespace Monitoring.Client.Live;

/// <summary>Source-generated metadata for the hub payloads, so a trimmed WebAssembly publish still reads them.</summary>
[JsonSerializable(typeof(ServicesSnapshot))]
[JsonSerializable(typeof(ServiceDelta))]
[JsonSerializable(typeof(GridDelta))]
[JsonSerializable(typeof(AlertsSnapshot))]
[JsonSerializable(typeof(AlertDelta))]
[JsonSerializable(typeof(MetricsDelta))]
internal sealed partial class LiveJsonContext : JsonSerializerContext;
