using OrleansTabs.Sessions;
using OrleansTabs.Tabs;

namespace OrleansTabs.Grains.Sessions;

/// <summary>The persisted state of a session grain.</summary>
[GenerateSerializer]
[Alias("ot.SessionState")]
public sealed class SessionState
{
    [Id(0)] public string? User { get; set; }

    [Id(1)] public DateTimeOffset CreatedAt { get; set; }

    [Id(2)] public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>Set once, never cleared: the fence that keeps an ended session ended.</summary>
    [Id(3)] public bool Revoked { get; set; }

    /// <summary>Attached tabs by tab grain key.</summary>
    [Id(4)] public Dictionary<string, AttachedTab> Tabs { get; set; } = [];

    /// <summary>Pushes with delivery <c>once</c> that found no connected tab, oldest first, for the next tab that connects.</summary>
    [Id(5)] public List<PendingPush> Pending { get; set; } = [];

    /// <summary>The display name, when it differs from the user (the subject).</summary>
    [Id(6)] public string? Name { get; set; }

    /// <summary>The claims kept from the sign-in for the application's hooks, if any.</summary>
    [Id(7)] public List<CarriedClaim>? Claims { get; set; }

    /// <summary>When the sign-in's credentials expire: the claims are kept until then only.</summary>
    [Id(8)] public DateTimeOffset? ClaimsExpireAt { get; set; }

    /// <summary>The rooms the server joined the session to, in join order; null while there are none.</summary>
    [Id(9)] public List<string>? ServerRooms { get; set; }
}

/// <summary>A push kept for the next tab of the session.</summary>
[GenerateSerializer]
[Alias("ot.SessionState.PendingPush")]
public sealed class PendingPush
{
    [Id(0)] public string PayloadJson { get; set; } = "{}";

    [Id(1)] public DateTimeOffset At { get; set; }
}

/// <summary>A tab attached to a session.</summary>
[GenerateSerializer]
[Alias("ot.SessionState.AttachedTab")]
public sealed class AttachedTab
{
    [Id(0)] public string Tab { get; set; } = "";

    [Id(1)] public string Channel { get; set; } = "";

    [Id(2)] public bool Connected { get; set; }

    [Id(3)] public string? FrontEnd { get; set; }

    /// <summary>The socket's connection id on that front-end, while connected.</summary>
    [Id(4)] public string? ConnectionId { get; set; }

    /// <summary>When the latest connection of the tab was attached.</summary>
    [Id(5)] public DateTimeOffset ConnectedAt { get; set; }

    /// <summary>How the tab's previous connection ended, once one has.</summary>
    [Id(6)] public TabClose? LastClose { get; set; }

    /// <summary>The page closed the socket on purpose: listed for the audit, no longer counted against the tab cap.</summary>
    [Id(7)] public bool Released { get; set; }

    /// <summary>The instance id of the page that attached the tab last (a page with another one is a duplicate while that connection lives).</summary>
    [Id(8)] public string? Instance { get; set; }

    /// <summary>The epoch of the tab's own stream while the tab has no stored state (see <c>TabBinding.UnwrittenEpoch</c>).</summary>
    [Id(9)] public string? UnwrittenEpoch { get; set; }
}
