using Orleans;

namespace OrleansTabs.Tests.AppHost;

/// <summary>A team of the application, keyed by its name: what it tells its members goes through <see cref="IOrleansTabs"/>.</summary>
public interface ITeamGrain : IGrainWithStringKey
{
    /// <summary>Publishes an announcement into the team's news room; returns its offset there.</summary>
    Task<long> AnnounceAsync(string text, string by);

    /// <summary>Pushes a notice to every tab of <paramref name="user"/>.</summary>
    Task<PushReceipt> NotifyAsync(string user, string text);
}
