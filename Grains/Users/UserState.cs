namespace OrleansTabs.Grains.Users;

/// <summary>The persisted state of a user grain.</summary>
[GenerateSerializer]
[Alias("ot.UserState")]
public sealed class UserState
{
    [Id(0)] public HashSet<string> Sessions { get; set; } = [];

    /// <summary>When each session was recorded; the oldest goes first at the cap (one recorded without a time counts as oldest).</summary>
    [Id(1)] public Dictionary<string, DateTimeOffset> StartedAt { get; set; } = [];
}
