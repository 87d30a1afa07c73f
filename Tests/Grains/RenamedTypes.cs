using OrleansTabs.Grains.Sessions;
using OrleansTabs.Sessions;
using OrleansTabs.Tabs;

namespace OrleansTabs.Tests.Grains;

/// <summary>
/// <see cref="SessionState"/> as a later build might name it: another class in another namespace and assembly, the
/// same field ids. It carries no alias of its own: an alias is unique in a process, so the test gives it
/// <c>ot.SessionState</c> in the reading serializer's type manifest, the entry Orleans' generator emits for an
/// <c>[Alias]</c> (see <see cref="RollingUpgradeTests"/>).
/// </summary>
[GenerateSerializer]
public sealed class RenamedSessionState
{
    [Id(0)] public string? Subject { get; set; }

    [Id(1)] public DateTimeOffset Created { get; set; }

    [Id(2)] public DateTimeOffset LastSeen { get; set; }

    [Id(3)] public bool Ended { get; set; }

    [Id(4)] public Dictionary<string, AttachedTab> AttachedTabs { get; set; } = [];

    [Id(5)] public List<PendingPush> Waiting { get; set; } = [];

    [Id(6)] public string? DisplayName { get; set; }

    [Id(7)] public List<CarriedClaim>? KeptClaims { get; set; }

    [Id(8)] public DateTimeOffset? KeptClaimsExpireAt { get; set; }

    [Id(9)] public List<string>? JoinedByServer { get; set; }
}

/// <summary>
/// <see cref="ISessionGrain"/> as a later build might name it, its methods renamed too but keeping their aliases. Like
/// <see cref="RenamedSessionState"/> it gets the interface alias <c>ot.SessionGrain</c> in the test's type manifest.
/// </summary>
public interface IRenamedSessionGrain : IGrainWithStringKey
{
    [Alias("AttachTab")]
    Task<TabAttachment> AttachAsync(TabAddress tab, TabBinding binding);

    [Alias("Start")]
    Task<SessionInfo> BeginAsync(SessionStart start);

    [Alias("StartUser")]
    Task<SessionInfo> BeginAsync(string user);
}
