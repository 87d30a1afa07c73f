using OrleansTabs.Grains.Rooms;

namespace OrleansTabs.Tests.Grains;

/// <summary>The real room log, counting appends (one per group commit) per room.</summary>
public sealed class CountingRoomLog(IRoomLog inner) : IRoomLog
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Appends = new();

    public static int AppendsTo(string room) => Appends.GetValueOrDefault(room);

    public Task<(string? Epoch, long Head, List<StoredMessage> Messages)> LoadAsync(string room) => inner.LoadAsync(room);

    public Task<IReadOnlyList<KnownPost>> AppendAsync(string room, string epoch, long expectedHead, IReadOnlyList<StoredMessage> batch, int keep)
    {
        Appends.AddOrUpdate(room, 1, (_, n) => n + 1);
        return inner.AppendAsync(room, epoch, expectedHead, batch, keep);
    }

    public Task<Dictionary<string, string>> LoadMembersAsync(string room) => inner.LoadMembersAsync(room);

    public Task SetMembersAsync(string room, IReadOnlyCollection<KeyValuePair<string, string?>> locations) => inner.SetMembersAsync(room, locations);
}
