using Microsoft.Extensions.Logging;
using OrleansTabs.Sessions;
using OrleansTabs.Tabs;

namespace OrleansTabs.Grains.Sessions;

/// <summary>Pushes routed by the session: the one tab a <c>focused</c> or <c>once</c> push goes to, and the pushes kept for its next tab (docs/protocol.md section 6.3).</summary>
public sealed partial class SessionGrain
{
    public async Task<PushChoice?> ChooseTabAsync(string? queuePayload)
    {
        // A push is not activity of the session: it must not keep an idle session alive.
        if (!await EnsureLiveAsync())
        {
            return null;
        }

        var connected = S.Tabs.Where(t => t.Value.Connected).Select(t => t.Key).ToArray();
        var activities = await Task.WhenAll(connected.Select(ActivityAsync));
        var chosen = activities
            .Select((activity, i) => (Key: connected[i], Activity: activity))
            .Where(a => a.Activity is { Connected: true })
            .OrderByDescending(a => a.Activity!.Focused)
            .ThenByDescending(a => a.Activity!.Focused ? a.Activity.FocusedAt : a.Activity.LastActiveAt)
            .Select(a => a.Key)
            .FirstOrDefault();
        // A tab may have attached while the others were asked (attaches interleave): it is connected and the newest.
        chosen ??= S.Tabs.Where(t => t.Value.Connected && !connected.Contains(t.Key)).OrderByDescending(t => t.Value.ConnectedAt).Select(t => t.Key).FirstOrDefault();
        if (chosen is not null)
        {
            return new PushChoice(TabAddress.FromGrainKey(chosen), Queued: false);
        }

        if (queuePayload is null)
        {
            return new PushChoice(null, Queued: false);
        }

        var now = clock.GetUtcNow();
        S.Pending.RemoveAll(p => now - p.At >= tabOptions.Value.Retention);
        if (S.Pending.Count >= _options.MaxQueuedPushes || S.Pending.Sum(p => (long)p.PayloadJson.Length) + queuePayload.Length > _options.QueuedPushBytes)
        {
            // The session's state is written whole on every change: what it keeps stays bounded, and the caller learns
            // from the receipt that this push was not kept.
            LogPushNotKept(logger, _id, S.Pending.Count, _options.MaxQueuedPushes);
            return new PushChoice(null, Queued: false);
        }

        S.Pending.Add(new PendingPush { PayloadJson = queuePayload, At = now });
        await WriteAsync();
        return new PushChoice(null, Queued: true);
    }

    private async Task<TabActivity?> ActivityAsync(string tabKey)
    {
        try
        {
            return await GrainFactory.Get<ITabGrain>(tabKey).GetActivityAsync();
        }
        catch (Exception ex)
        {
            // A tab that cannot answer is not chosen; the others still are.
            LogActivityFailed(logger, ex, tabKey);
            return null;
        }
    }

    /// <summary>The kept pushes still within the tab retention, handed to an attaching tab (and so no longer kept here).</summary>
    private ImmutableArray<string> TakePending(DateTimeOffset now)
    {
        if (S.Pending.Count == 0)
        {
            return [];
        }

        var pending = S.Pending.Where(p => now - p.At < tabOptions.Value.Retention).Select(p => p.PayloadJson).ToImmutableArray();
        S.Pending.Clear();
        return pending;
    }
}
