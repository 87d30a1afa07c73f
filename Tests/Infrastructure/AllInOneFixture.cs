namespace OrleansTabs.Tests.Infrastructure;

/// <summary>One all-in-one front-end (co-hosted silo) shared by a test collection; tests isolate themselves by session.</summary>
public class AllInOneFixture : IAsyncLifetime
{
    private readonly string _heartbeat;
    private readonly IDictionary<string, string?> _extra;

    public AllInOneFixture()
        : this("00:00:10")
    {
    }

    protected AllInOneFixture(string heartbeat, IDictionary<string, string?>? extra = null)
    {
        _heartbeat = heartbeat;
        _extra = extra ?? new Dictionary<string, string?>();
    }

    public RunningWeb Web { get; private set; } = null!;

    public Uri Server => Web.Address;

    public async Task InitializeAsync()
    {
        var serviceId = TestRedis.NewServiceId("aio");
        var settings = new Dictionary<string, string?>
        {
            ["OrleansTabs:Sockets:Heartbeat"] = _heartbeat,
            ["OrleansTabs:Sockets:ErrorLimit"] = "10",
            ["OrleansTabs:Sockets:ResumeWindow"] = "00:00:00.200",
        };
        foreach (var (key, value) in _extra)
        {
            settings[key] = value;
        }

        Web = await TestHosts.StartWebAsync("AllInOne", TestHosts.Settings(serviceId, serviceId, settings));
    }

    public async Task DisposeAsync() => await Web.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class AllInOneCollection : ICollectionFixture<AllInOneFixture>
{
    public const string Name = "all-in-one";
}

/// <summary>An all-in-one front-end with the session send budget at the defaults of docs/protocol.md section 6.4.</summary>
public sealed class SendBudgetFixture() : AllInOneFixture("00:00:10", new Dictionary<string, string?>
{
    ["OrleansTabs:Sessions:SendsPerSecond"] = "20",
    ["OrleansTabs:Sessions:SendBurst"] = "40",
});

[CollectionDefinition(Name)]
public sealed class SendBudgetCollection : ICollectionFixture<SendBudgetFixture>
{
    public const string Name = "send-budget";
}

/// <summary>An all-in-one front-end with a one-second heartbeat, for the tests about silence and staleness.</summary>
public sealed class ShortHeartbeatFixture() : AllInOneFixture("00:00:01");

[CollectionDefinition(Name)]
public sealed class ShortHeartbeatCollection : ICollectionFixture<ShortHeartbeatFixture>
{
    public const string Name = "short-heartbeat";
}

/// <summary>
/// An all-in-one front-end with small limits: a send queue of 64 frames (a replay deeper than the queue shows whether
/// replays are flow-controlled), at most 3 rooms per tab, 3 tabs per session, 2 sessions per user, and the frame rate
/// limit lifted.
/// </summary>
public sealed class LimitsFixture : IAsyncLifetime
{
    public RunningWeb Web { get; private set; } = null!;

    public Uri Server => Web.Address;

    public async Task InitializeAsync()
    {
        var serviceId = TestRedis.NewServiceId("queue");
        Web = await TestHosts.StartWebAsync("AllInOne", TestHosts.Settings(serviceId, serviceId, new Dictionary<string, string?>
        {
            ["OrleansTabs:Sockets:SendQueueCapacity"] = "64",
            ["OrleansTabs:Tabs:MaxRooms"] = "3",
            ["OrleansTabs:Sessions:MaxTabsPerSession"] = "3",
            ["OrleansTabs:Sessions:MaxSessionsPerUser"] = "2",
            ["OrleansTabs:Sockets:FramesPerSecond"] = "10000",
            ["OrleansTabs:Sockets:FrameBurst"] = "10000",
            ["OrleansTabs:Sockets:ResumeWindow"] = "00:00:00.200",
        }));
    }

    public async Task DisposeAsync() => await Web.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class LimitsCollection : ICollectionFixture<LimitsFixture>
{
    public const string Name = "limits";
}

/// <summary>An all-in-one front-end whose WebSocket keep-alive pings after 1 s of silence and gives up 2 s after a ping, with a heartbeat long enough (60 s) that 4008 never interferes.</summary>
public sealed class KeepAliveFixture() : AllInOneFixture("00:01:00", new Dictionary<string, string?>
{
    ["OrleansTabs:Sockets:KeepAliveInterval"] = "00:00:01",
    ["OrleansTabs:Sockets:KeepAliveTimeout"] = "00:00:02",
});

[CollectionDefinition(Name)]
public sealed class KeepAliveCollection : ICollectionFixture<KeepAliveFixture>
{
    public const string Name = "keep-alive";
}

/// <summary>
/// An all-in-one front-end of its own for the test that fills the cluster's dashboard topics to their cap, with a send
/// queue of 512 frames: fewer than the topics' snapshots, so the test shows that a connect paces them.
/// </summary>
public sealed class TopicsFixture() : AllInOneFixture("00:00:10", new Dictionary<string, string?>
{
    ["OrleansTabs:Sockets:SendQueueCapacity"] = "512",
});

[CollectionDefinition(Name)]
public sealed class TopicsCollection : ICollectionFixture<TopicsFixture>
{
    public const string Name = "topics";
}

/// <summary>
/// An all-in-one front-end whose send queue is bounded by its bytes alone (1 MiB; 100,000 frames and a delay bound of two
/// minutes are never reached), with the frame rate limit lifted and a write timeout long enough that a consumer that
/// stopped reading is not aborted first.
/// </summary>
public sealed class ByteBoundFixture() : AllInOneFixture("00:01:00", new Dictionary<string, string?>
{
    ["OrleansTabs:Sockets:SendQueueCapacity"] = "100000",
    ["OrleansTabs:Sockets:SendQueueBytes"] = "1048576",
    ["OrleansTabs:Sockets:SendQueueMaxDelay"] = "00:02:00",
    ["OrleansTabs:Sockets:FramesPerSecond"] = "100000",
    ["OrleansTabs:Sockets:FrameBurst"] = "100000",
    ["OrleansTabs:Sockets:WriteTimeout"] = "00:02:00",
});

[CollectionDefinition(Name)]
public sealed class ByteBoundCollection : ICollectionFixture<ByteBoundFixture>
{
    public const string Name = "byte-bound";
}

/// <summary>
/// An all-in-one front-end whose send queue is bounded by time alone: its oldest frame may wait a second, while its bytes and
/// 100,000 frames are far from reached, with the frame rate limit lifted and a write timeout long enough that a
/// consumer that stopped reading is not aborted first.
/// </summary>
public sealed class DelayBoundFixture() : AllInOneFixture("00:01:00", new Dictionary<string, string?>
{
    ["OrleansTabs:Sockets:SendQueueCapacity"] = "100000",
    ["OrleansTabs:Sockets:SendQueueBytes"] = "67108864",
    ["OrleansTabs:Sockets:SendQueueMaxDelay"] = "00:00:01",
    ["OrleansTabs:Sockets:FramesPerSecond"] = "100000",
    ["OrleansTabs:Sockets:FrameBurst"] = "100000",
    ["OrleansTabs:Sockets:WriteTimeout"] = "00:02:00",
});

[CollectionDefinition(Name)]
public sealed class DelayBoundCollection : ICollectionFixture<DelayBoundFixture>
{
    public const string Name = "delay-bound";
}
