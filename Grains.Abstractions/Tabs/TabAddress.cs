namespace OrleansTabs.Tabs;

/// <summary>
/// Identifies one tab on one channel within one session: the key of an <see cref="ITabGrain"/>.
/// The same tab id under another session or channel is a different tab.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.TabAddress")]
public sealed record TabAddress(
    [property: Id(0)] string Session,
    [property: Id(1)] string Tab,
    [property: Id(2)] string Channel)
{
    /// <summary>The grain key: <c>session/channel/tab</c> (none of the parts may contain '/').</summary>
    public string ToGrainKey() => string.Concat(Session, "/", Channel, "/", Tab);

    /// <summary>Parses a key made by <see cref="ToGrainKey"/>.</summary>
    public static TabAddress FromGrainKey(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 3)
        {
            throw new FormatException($"'{key}' is not a tab grain key.");
        }

        return new TabAddress(parts[0], parts[2], parts[1]);
    }
}
