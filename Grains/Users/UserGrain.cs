using Microsoft.Extensions.Options;
using OrleansTabs.Grains.Options;
using OrleansTabs.Sessions;
using OrleansTabs.Users;

namespace OrleansTabs.Grains.Users;

/// <summary>
/// The sessions of one user, at most <see cref="SessionOptions.MaxSessionsPerUser"/> live ones: ended sessions are pruned
/// when the list is read or full or when the session grain reports its end, and a sign-in at the cap ends the oldest
/// session, so the list cannot grow without end. The record goes with the user's last session.
/// </summary>
[GrainType("user")]
public sealed class UserGrain(
    [PersistentState("user", GrainServiceCollectionExtensions.StorageName)] IPersistentState<UserState> state,
    IOptions<SessionOptions> options,
    TimeProvider clock) : Grain, IUserGrain
{
    private UserState S => state.State;

    public async Task AddSessionAsync(string session)
    {
        var max = options.Value.MaxSessionsPerUser;
        if (S.Sessions.Count >= max)
        {
            await PruneAsync();
        }

        if (S.Sessions.Count >= max)
        {
            // The person signing in now is present; the oldest session is the one least likely in use. It ends the way
            // a logout does (4501 to its tabs), before it is forgotten here, so no live session is left unlisted.
            var oldest = S.Sessions
                .OrderBy(s => S.StartedAt.GetValueOrDefault(s, DateTimeOffset.MinValue))
                .ThenBy(s => s, StringComparer.Ordinal)
                .Take(S.Sessions.Count - max + 1)
                .ToArray();
            await Task.WhenAll(oldest.Select(s => GrainFactory.Get<ISessionGrain>(s).EvictAsync()));
            Forget(oldest);
        }

        S.Sessions.Add(session);
        S.StartedAt[session] = clock.GetUtcNow();
        await state.WriteStateAsync();
    }

    public async Task<string[]> GetSessionsAsync() => await PruneAsync();

    public async Task<int> LogoutAllAsync()
    {
        var sessions = await PruneAsync();
        await Task.WhenAll(sessions.Select(s => GrainFactory.Get<ISessionGrain>(s).LogoutAsync()));
        Forget(sessions);
        await SaveAsync();
        return sessions.Length;
    }

    public async Task SessionEndedAsync(string session)
    {
        if (S.Sessions.Contains(session) || (S.Sessions.Count == 0 && state.RecordExists))
        {
            Forget([session]);
            await SaveAsync();
        }
    }

    private async Task<string[]> PruneAsync()
    {
        var sessions = S.Sessions.ToArray();
        var live = await Task.WhenAll(sessions.Select(s => GrainFactory.Get<ISessionGrain>(s).CheckExpiryAsync()));
        var ended = sessions.Where((_, i) => !live[i]).ToArray();
        if (ended.Length > 0)
        {
            Forget(ended);
            await SaveAsync();
        }

        return [.. S.Sessions];
    }

    /// <summary>Writes the sessions, or deletes the record when there are none: a user with no session leaves nothing behind.</summary>
    private async Task SaveAsync()
    {
        if (S.Sessions.Count > 0)
        {
            await state.WriteStateAsync();
        }
        else if (state.RecordExists)
        {
            await state.ClearStateAsync();
            DeactivateOnIdle();
        }
    }

    private void Forget(IEnumerable<string> sessions)
    {
        foreach (var session in sessions)
        {
            S.Sessions.Remove(session);
            S.StartedAt.Remove(session);
        }
    }
}
