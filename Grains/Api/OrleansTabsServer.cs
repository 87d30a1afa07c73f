using OrleansTabs.FrontEnds;
using OrleansTabs.Rooms;
using OrleansTabs.Sessions;
using OrleansTabs.Tabs;
using OrleansTabs.Topics;
using OrleansTabs.Users;

namespace OrleansTabs.Grains.Api;

/// <summary>
/// <see cref="IOrleansTabs"/> over the grains, the same on a silo and on a front-end (it needs only an
/// <see cref="IGrainFactory"/>). Every argument is checked before the first grain call, so a bad one sends nothing; a
/// cancellation is honoured until the grains are asked, after which the operation runs to its end.
/// </summary>
public sealed partial class OrleansTabsServer(IGrainFactory grains) : IOrleansTabs
{
    public async Task<PushReceipt> PushAsync<T>(TabsTarget target, T payload, PushDelivery delivery = PushDelivery.All,
        string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        Payloads.Target(target, nameof(target));
        if (target.Kind == TabsTargetKind.Topic)
        {
            TopicNames.Require(target.Id, nameof(target));
        }

        if (!Enum.IsDefined(delivery))
        {
            throw new ArgumentOutOfRangeException(nameof(delivery), delivery, "Not a delivery mode.");
        }

        if (delivery != PushDelivery.All && target.Kind is not (TabsTargetKind.User or TabsTargetKind.Session))
        {
            throw new ArgumentException("A delivery mode other than All applies to a user or session target only.", nameof(delivery));
        }

        var push = new Push(Payloads.Serialize(payload, nameof(payload)), Payloads.Key(idempotencyKey, nameof(idempotencyKey)), delivery);
        cancellationToken.ThrowIfCancellationRequested();
        return target.Kind switch
        {
            TabsTargetKind.User => await ToUserAsync(target.Id, push),
            TabsTargetKind.Session => await ToSessionAsync(target.Id, push),
            TabsTargetKind.Tab => await ToSessionAsync(target.Id, push, target.TabId),
            TabsTargetKind.Room => await grains.Get<IRoomGrain>(target.Id).PublishAsync(push.Payload, push.Key) is { } members ? new PushReceipt(members, 0) : PushReceipt.NotFound,
            _ => await ToTopicAsync(target.Id, push),
        };
    }

    public async Task<long> PublishAsync<T>(string room, T payload, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        RoomNames.Require(room);
        var json = Payloads.Serialize(payload, nameof(payload));
        var key = Payloads.Key(idempotencyKey, nameof(idempotencyKey));
        cancellationToken.ThrowIfCancellationRequested();
        return (await grains.Get<IRoomGrain>(room).PublishMessageAsync(json, key)).Offset;
    }

    public async Task SetTopicAsync<T>(string topic, T data, CancellationToken cancellationToken = default)
    {
        TopicNames.Require(topic);
        var json = Payloads.Serialize(data, nameof(data));
        cancellationToken.ThrowIfCancellationRequested();
        Admitted(await grains.Get<ITopicGrain>(topic).PublishAsync(json), nameof(topic));
    }

    public async Task SignOutAsync(TabsTarget target, CancellationToken cancellationToken = default)
    {
        SessionsOrUser(target);
        cancellationToken.ThrowIfCancellationRequested();
        if (target.Kind == TabsTargetKind.User)
        {
            await grains.Get<IUserGrain>(target.Id).LogoutAllAsync();
        }
        else
        {
            await grains.Get<ISessionGrain>(target.Id).LogoutAsync();
        }
    }

    private async Task<PushReceipt> ToUserAsync(string user, Push push)
    {
        var sessions = await grains.Get<IUserGrain>(user).GetSessionsAsync();
        if (sessions.Length == 0)
        {
            return PushReceipt.NotFound;
        }

        var receipts = await Task.WhenAll(sessions.Select(s => ToSessionAsync(s, push)));
        return new PushReceipt(receipts.Sum(r => r.Delivered), receipts.Sum(r => r.Queued));
    }

    /// <summary>
    /// A session target, or one tab of it (<paramref name="tab"/>, on every channel): every such tab (<c>all</c>), or one
    /// tab the session chooses (<c>focused</c>, <c>once</c>; docs/protocol.md section 6.3). For <c>once</c> a session with
    /// no connected tab keeps the frame for its next tab (queued).
    /// </summary>
    private async Task<PushReceipt> ToSessionAsync(string session, Push push, string? tab = null)
    {
        if (push.Delivery != PushDelivery.All)
        {
            var choice = await grains.Get<ISessionGrain>(session).ChooseTabAsync(push.Delivery == PushDelivery.Once ? push.Payload : null);
            if (choice is null)
            {
                return PushReceipt.NotFound;
            }

            return choice.Tab is { } chosen
                ? new PushReceipt(await grains.Get<ITabGrain>(chosen.ToGrainKey()).PushAsync(push.Payload, push.Key) ? 1 : 0, 0)
                : new PushReceipt(0, choice.Queued ? 1 : 0);
        }

        // A push is not activity of the session: it must not keep an idle session alive.
        var attached = await grains.Get<ISessionGrain>(session).GetTabsAsync();
        var tabs = attached?.Where(t => tab is null || t.Tab == tab).ToArray();
        if (tabs is null || (tab is not null && tabs.Length == 0))
        {
            return PushReceipt.NotFound;
        }

        var delivered = await Task.WhenAll(tabs.Select(t =>
            grains.Get<ITabGrain>(new TabAddress(session, t.Tab, t.Channel).ToGrainKey()).PushAsync(push.Payload, push.Key)));
        return new PushReceipt(delivered.Count(d => d), 0);
    }

    /// <summary>A topic's new value; delivered to every dashboard tab of the live front-ends.</summary>
    private async Task<PushReceipt> ToTopicAsync(string topic, Push push)
    {
        Admitted(await grains.Get<ITopicGrain>(topic).PublishAsync(push.Payload, push.Key), "target");
        var live = await grains.GetFrontEndDirectory().GetLiveAsync();
        return new PushReceipt(live.Sum(l => l.Stats.DashboardTabs), 0);
    }

    /// <summary>Throws for a topic the cluster refused: new, with <see cref="TopicNames.MaxTopics"/> topics there already.</summary>
    private static void Admitted(bool admitted, string name)
    {
        if (!admitted)
        {
            throw new ArgumentException($"The cluster has {TopicNames.MaxTopics} topics, the most it takes; publish to one of them.", name);
        }
    }

    /// <summary>Refuses a target other than a user or a session (what membership and sign-out take).</summary>
    private static void SessionsOrUser(TabsTarget target)
    {
        Payloads.Target(target, nameof(target));
        if (target.Kind is not (TabsTargetKind.User or TabsTargetKind.Session))
        {
            throw new ArgumentException($"A {target.Kind} target is not taken here: name a user or a session.", nameof(target));
        }
    }

    /// <summary>What is pushed: the payload (JSON text), the optional idempotency key and the delivery mode.</summary>
    private sealed record Push(string Payload, string? Key, PushDelivery Delivery);
}
