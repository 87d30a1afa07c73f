using Microsoft.Extensions.Options;

namespace OrleansTabs.Grains.Options;

/// <summary>
/// The dedup window must cover a tab's retention: a tab that reconnects within its retention resends its unacked
/// messages, and each must be recognized.
/// </summary>
public sealed class DedupWindowValidator(IOptions<TabOptions> tabs) : IValidateOptions<RoomOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RoomOptions options)
    {
        var check = new OptionsCheck(RoomOptions.SectionName);
        var retention = tabs.Value.Retention;
        check.That(options.DedupWindow >= retention, nameof(options.DedupWindow), options.DedupWindow, $"must be at least {TabOptions.SectionName}:{nameof(TabOptions.Retention)} ({retention})");
        return check.Result();
    }
}
