namespace OrleansTabs.Users;

/// <summary>A user (key: user name): the sessions signed in as that user, for pushes addressed to the user.</summary>
[Alias("ot.UserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records a new session of this user. If the user already has the most live sessions allowed, the oldest ones are
    /// ended first (<see cref="Sessions.ISessionGrain.EvictAsync"/>), so the new one always fits.
    /// </summary>
    [Alias("AddSession")]
    Task AddSessionAsync(string session);

    /// <summary>The user's sessions that are still live; ended ones are forgotten.</summary>
    [Alias("GetSessions")]
    Task<string[]> GetSessionsAsync();

    /// <summary>
    /// Ends every live session of the user (docs/protocol.md section 6.6, sign out everywhere), each like a logout, and
    /// returns how many were ended.
    /// </summary>
    [Alias("LogoutAll")]
    Task<int> LogoutAllAsync();

    /// <summary>
    /// Forgets a session that ended (its session grain tells the user grain, one-way: a session ending inside
    /// <see cref="LogoutAllAsync"/> or <see cref="AddSessionAsync"/> would otherwise wait on this grain). With the last
    /// session the user's record is deleted, so a user with no session leaves nothing in storage.
    /// </summary>
    [OneWay]
    [Alias("SessionEnded")]
    Task SessionEndedAsync(string session);
}
