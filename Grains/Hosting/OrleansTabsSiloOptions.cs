using OrleansTabs.Grains.Options;

namespace OrleansTabs;

/// <summary>
/// What a silo's code sets when it adds OrleansTabs (<c>siloBuilder.AddOrleansTabs(redis, options => ...)</c>): the
/// session, tab and room settings. The configuration's <c>OrleansTabs:Sessions</c>, <c>OrleansTabs:Tabs</c> and
/// <c>OrleansTabs:Rooms</c> keys, where set, override them; both are validated when the silo starts.
/// </summary>
public sealed class OrleansTabsSiloOptions
{
    /// <summary>Session lifetime, the send budget and the per-session and per-user caps.</summary>
    public SessionOptions Sessions { get; } = new();

    /// <summary>Tab retention and the rooms a tab may join.</summary>
    public TabOptions Tabs { get; } = new();

    /// <summary>Room log retention, the dedup window and batching.</summary>
    public RoomOptions Rooms { get; } = new();
}
