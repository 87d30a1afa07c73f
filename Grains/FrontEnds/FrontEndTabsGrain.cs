using Microsoft.Extensions.Logging;
using OrleansTabs.FrontEnds;
using OrleansTabs.Tabs;

namespace OrleansTabs.Grains.FrontEnds;

/// <summary>
/// The tabs connected through one front-end, in memory: it only has to outlive the front-end's lease. (After a silo
/// loss it is rebuilt by new connects; tabs it forgot are still taken over once stale, and /auth/me checks leases.)
/// </summary>
[GrainType("frontendtabs")]
public sealed partial class FrontEndTabsGrain(ILogger<FrontEndTabsGrain> logger) : Grain, IFrontEndTabsGrain
{
    private readonly HashSet<string> _tabs = new(StringComparer.Ordinal);

    public Task AddAsync(string tabKey)
    {
        _tabs.Add(tabKey);
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string tabKey)
    {
        _tabs.Remove(tabKey);
        return Task.CompletedTask;
    }

    public async Task LostAsync()
    {
        var frontEnd = this.GetPrimaryKeyString();
        var tabs = _tabs.ToArray();
        _tabs.Clear();
        LogLost(logger, frontEnd, tabs.Length);
        await Task.WhenAll(tabs.Select(async key =>
        {
            try
            {
                await GrainFactory.Get<ITabGrain>(key).FrontEndLostAsync(frontEnd);
            }
            catch (Exception ex)
            {
                // That tab is still taken over once stale; nothing else depends on this call.
                LogTabFailed(logger, ex, key);
            }
        }));
        DeactivateOnIdle();
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Warning, Message = "Front-end {FrontEnd} lost: disconnecting its {TabCount} tabs")]
    private static partial void LogLost(ILogger logger, string frontEnd, int tabCount);

    [LoggerMessage(EventId = 311, Level = LogLevel.Warning, Message = "Tab {Tab} could not be told that its front-end was lost")]
    private static partial void LogTabFailed(ILogger logger, Exception exception, string tab);
}
