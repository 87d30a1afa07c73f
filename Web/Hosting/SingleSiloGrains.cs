using System.Globalization;
using Orleans.Metadata;
using Orleans.Placement;

namespace OrleansTabs.Web.Hosting;

/// <summary>
/// Marks every grain type immovable in the all-in-one server's co-hosted silo, which is the only silo of its cluster.
/// A silo that stops gracefully offers each activation it deactivates to another silo (activation migration on
/// shutdown); alone it has no other silo, so every offer fails placement with an error in the log, and the calls queued
/// at those activations are retried against a cluster that has none. Immovable, they simply deactivate: their state
/// is in Garnet already.
/// </summary>
internal sealed class SingleSiloGrains : IGrainPropertiesProvider
{
    private static readonly string Immovable = ((byte)ImmovableKind.Any).ToString(CultureInfo.InvariantCulture);

    public void Populate(Type grainClass, GrainType grainType, Dictionary<string, string> properties) =>
        properties[WellKnownGrainTypeProperties.Immovable] = Immovable;
}
