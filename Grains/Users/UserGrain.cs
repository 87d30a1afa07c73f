using Microsoft.Extensions.Options;
using OrleansTabs.Grains.Options;
using OrleansTabs.Sessions;
using OrleansTabs.Users;

namespace OrleansTabs.Grains.Users;

/// <summary>
/// The sessions of one user, at most <see cref="SessionOptions.MaxSessionsPerUser"/> live ones: ended sessions are pruned
/// when the list is read or full, and a sign-in at the cap ends the oldest session, so the list cannot grow without end.
/// </summary>
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
        await state.WriteStateAsync();
        return sessions.Length;
    }

    private async Task<string[]> PruneAsync()
    {
        var sessions = S.Sessions.ToArray();
        var live = await Task.WhenAll(sessions.Select(s => GrainFactory.Get<ISessionGrain>(s).CheckExpiryAsync()));
        var ended = sessions.Where((_, i) => !live[i]).ToArray();
        if (ended.Length > 0)
        {
            Forget(ended);
            await state.WriteStateAsync();
        }

        return [.. S.Sessions];
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
