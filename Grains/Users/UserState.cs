namespace OrleansTabs.Grains.Users;

/// <summary>The persisted state of a user grain.</summary>
[GenerateSerializer]
public sealed class UserState
{
    [Id(0)] public HashSet<string> Sessions { get; set; } = [];
}
