namespace OrleansTabs.FrontEnds;

/// <summary>
/// The tabs connected through one front-end (key: front-end id), so that when the front-end's lease lapses (it
/// crashed, or was cut off) every one of them is marked disconnected within seconds and starts its retention.
/// </summary>
[Alias("ot.FrontEndTabsGrain")]
public interface IFrontEndTabsGrain : IGrainWithStringKey
{
    /// <summary>A tab (grain key) connected through this front-end.</summary>
    [OneWay]
    [Alias("AddTab")]
    Task AddAsync(string tabKey);

    /// <summary>A tab is no longer connected through this front-end.</summary>
    [OneWay]
    [Alias("RemoveTab")]
    Task RemoveAsync(string tabKey);

    /// <summary>The front-end's lease lapsed: tell each of its tabs, then forget them.</summary>
    [OneWay]
    [Alias("Lost")]
    Task LostAsync();
}
