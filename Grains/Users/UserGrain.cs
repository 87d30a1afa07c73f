using OrleansTabs.Sessions;
using OrleansTabs.Users;

namespace OrleansTabs.Grains.Users;

/// <summary>The sessions of one user. Ended sessions are pruned when the list is read, so it cannot grow without end.</summary>
public sealed class UserGrain(
    [PersistentState("user", GrainServiceCollectionExtensions.StorageName)] IPersistentState<UserState> state) : Grain, IUserGrain
{
    public async Task AddSessionAsync(string session)
    {
        if (state.State.Sessions.Count >= 64)
        {
            await PruneAsync();
        }

        if (state.State.Sessions.Add(session))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task<string[]> GetSessionsAsync() => await PruneAsync();

    public async Task<int> LogoutAllAsync()
    {
        var sessions = await PruneAsync();
        await Task.WhenAll(sessions.Select(s => GrainFactory.GetGrain<ISessionGrain>(s).LogoutAsync()));
        state.State.Sessions.Clear();
        await state.WriteStateAsync();
        return sessions.Length;
    }

    private async Task<string[]> PruneAsync()
    {
        var sessions = state.State.Sessions.ToArray();
        var live = await Task.WhenAll(sessions.Select(s => GrainFactory.GetGrain<ISessionGrain>(s).CheckExpiryAsync()));
        var keep = sessions.Where((_, i) => live[i]).ToArray();
        if (keep.Length != sessions.Length)
        {
            state.State.Sessions = [.. keep];
            await state.WriteStateAsync();
        }

        return keep;
    }
}
