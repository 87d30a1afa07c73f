using System.Text.Json.Serialization;

namespace OrleansTabs.Grains.FrontEnds;

/// <summary>The <c>data</c> of the <c>cluster</c> topic's snapshot.</summary>
public sealed record ClusterFigures(int Sessions, ClusterTabs Tabs, double FramesInPerSecond, double FramesOutPerSecond, int FrontEnds);

/// <summary>Connected tabs per channel.</summary>
public sealed record ClusterTabs(int Chat, int Dashboard);

/// <summary>Source-generated JSON for <see cref="ClusterFigures"/> (camelCase, as on the wire).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ClusterFigures))]
public sealed partial class ClusterFiguresJson : JsonSerializerContext;
