using Microsoft.Extensions.Options;

namespace OrleansTabs.Grains.Options;

/// <summary>
/// The dedup window must cover a tab's retention: a tab that reconnects within its retention resends its unacked
/// messages, and each must be recognized.
/// </summary>
public sealed class DedupWindowValidator(IOptions<TabOptions> tabs) : IValidateOptions<RoomOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RoomOptions options) =>
        options.DedupWindow >= tabs.Value.Retention
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{RoomOptions.SectionName}:{nameof(options.DedupWindow)} ({options.DedupWindow}) must be at least {TabOptions.SectionName}:{nameof(TabOptions.Retention)} ({tabs.Value.Retention}).");
}
