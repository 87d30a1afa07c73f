using OrleansTabs.Grains.Sessions;
using OrleansTabs.Grains.Tabs;
using OrleansTabs.Grains.Users;
using OrleansTabs.Sessions;
using OrleansTabs.Tabs;
using TabPushReceipt = OrleansTabs.Grains.Tabs.PushReceipt;

namespace OrleansTabs.Tests.Grains;

/// <summary>
/// One value of each stored state type with every field set, so a reading that drops or mixes up a field shows.
/// <see cref="StoredStateBytes"/> holds exactly these values as stored.
/// </summary>
public static class StoredStateSamples
{
    public static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static SessionState Session() => new()
    {
        User = "sub-1",
        CreatedAt = At,
        LastSeenAt = At.AddMinutes(5),
        Revoked = true,
        Tabs = new()
        {
            ["sess-1/tab-1/chat"] = new AttachedTab
            {
                Tab = "tab-1",
                Channel = "chat",
                Connected = true,
                FrontEnd = "fe-1",
                ConnectionId = "conn-1",
                ConnectedAt = At.AddMinutes(1),
                LastClose = new TabClose(4013, "too_slow", At.AddMinutes(2)),
                Released = true,
                Instance = "inst-1",
                UnwrittenEpoch = "epoch-0",
            },
        },
        Pending = [new PendingPush { PayloadJson = """{"n":1}""", At = At.AddMinutes(3) }],
        Name = "Ada",
        Claims = [new CarriedClaim("role", "admin")],
        ClaimsExpireAt = At.AddHours(1),
        ServerRooms = ["lobby"],
    };

    public static TabState Tab() => new()
    {
        Instance = "inst-1",
        FrontEnd = "fe-1",
        ConnectionId = "conn-1",
        Epoch = "epoch-1",
        Offset = 7,
        Queue = [new TabMessage { Offset = 7, Id = "m-7", PayloadJson = """{"n":7}""", Timestamp = At }],
        Rooms = ["lobby", "ops"],
        User = "sub-1",
        Name = "Ada",
        PushReceipts = [new TabPushReceipt { Key = "key-1", Delivered = true, At = At.AddSeconds(30) }],
        ServerRooms = ["lobby"],
    };

    public static UserState User() => new()
    {
        Sessions = ["sess-1", "sess-2"],
        StartedAt = new() { ["sess-1"] = At, ["sess-2"] = At.AddDays(1) },
    };
}
