using Orleans;

namespace OrleansTabs.Tests.AppHost;

/// <summary>A team of the application, keyed by its name: what it tells its members goes through <see cref="IOrleansTabs"/>.</summary>
[Alias("app.TeamGrain")]
public interface ITeamGrain : IGrainWithStringKey
{
    /// <summary>Publishes an announcement into the team's news room; returns its offset there.</summary>
    [Alias("Announce")]
    Task<long> AnnounceAsync(string text, string by);

    /// <summary>Pushes a notice to every tab of <paramref name="user"/>.</summary>
    [Alias("Notify")]
    Task<PushReceipt> NotifyAsync(string user, string text);
}
