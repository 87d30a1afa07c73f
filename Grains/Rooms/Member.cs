namespace OrleansTabs.Grains.Rooms;

/// <summary>Where a member tab of a room is connected (both null when it is not).</summary>
public readonly record struct Member(string? FrontEnd, string? ConnectionId)
{
    public static Member Disconnected => default;

    /// <summary>Parses the stored form "frontEnd connectionId" (empty when disconnected).</summary>
    public static Member Parse(string location)
    {
        var space = location.IndexOf(' ', StringComparison.Ordinal);
        return space <= 0 ? Disconnected : new Member(location[..space], location[(space + 1)..]);
    }

    public override string ToString() => FrontEnd is null ? "" : FrontEnd + " " + ConnectionId;
}
