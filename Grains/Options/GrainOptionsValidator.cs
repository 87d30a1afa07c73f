using Microsoft.Extensions.Options;

namespace OrleansTabs.Grains.Options;

/// <summary>Validates <see cref="SessionOptions"/>, <see cref="TabOptions"/> and <see cref="RoomOptions"/> at start-up, naming the bad setting.</summary>
public sealed class GrainOptionsValidator : IValidateOptions<SessionOptions>, IValidateOptions<TabOptions>, IValidateOptions<RoomOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SessionOptions o)
    {
        var check = new OptionsCheck(SessionOptions.SectionName);
        Positive(check, nameof(o.SlidingExpiration), o.SlidingExpiration);
        Positive(check, nameof(o.AbsoluteLifetime), o.AbsoluteLifetime);
        Positive(check, nameof(o.ExpiryCheckInterval), o.ExpiryCheckInterval);
        Positive(check, nameof(o.ActivityReportInterval), o.ActivityReportInterval);
        check.That(o.SendsPerSecond > 0 && !double.IsInfinity(o.SendsPerSecond), nameof(o.SendsPerSecond), o.SendsPerSecond, "must be a positive number");
        check.That(o.SendBurst >= 1, nameof(o.SendBurst), o.SendBurst, "must be at least 1");
        check.That(o.MaxTabsPerSession is >= 1 and <= 10_000, nameof(o.MaxTabsPerSession), o.MaxTabsPerSession, "must be between 1 and 10000");
        check.That(o.MaxSessionsPerUser is >= 1 and <= 10_000, nameof(o.MaxSessionsPerUser), o.MaxSessionsPerUser, "must be between 1 and 10000");
        check.That(o.MaxQueuedPushes is >= 0 and <= 10_000, nameof(o.MaxQueuedPushes), o.MaxQueuedPushes, "must be between 0 and 10000");
        check.That(o.QueuedPushBytes is >= 0 and <= 16 * 1024 * 1024, nameof(o.QueuedPushBytes), o.QueuedPushBytes, "must be between 0 and 16777216");
        check.That(o.SlidingExpiration <= o.AbsoluteLifetime, nameof(o.SlidingExpiration), o.SlidingExpiration, $"must not exceed {check.Key(nameof(o.AbsoluteLifetime))} ({o.AbsoluteLifetime})");
        return check.Result();
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TabOptions o)
    {
        var check = new OptionsCheck(TabOptions.SectionName);
        Positive(check, nameof(o.Retention), o.Retention);
        Positive(check, nameof(o.RoomCallAttemptTimeout), o.RoomCallAttemptTimeout);
        check.That(o.MaxRooms is >= 1 and <= 1000, nameof(o.MaxRooms), o.MaxRooms, "must be between 1 and 1000");
        return check.Result();
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RoomOptions o)
    {
        var check = new OptionsCheck(RoomOptions.SectionName);
        Positive(check, nameof(o.MaxAge), o.MaxAge);
        Positive(check, nameof(o.DedupWindow), o.DedupWindow);
        Positive(check, nameof(o.FrontEndResolveTimeout), o.FrontEndResolveTimeout);
        check.That(o.MaxMessages >= 1, nameof(o.MaxMessages), o.MaxMessages, "must be at least 1");
        check.That(o.MaxBatch >= 1, nameof(o.MaxBatch), o.MaxBatch, "must be at least 1");
        check.That(!string.IsNullOrWhiteSpace(o.KeyPrefix), nameof(o.KeyPrefix), o.KeyPrefix, "must not be empty");
        return check.Result();
    }

    private static void Positive(OptionsCheck check, string setting, TimeSpan value) =>
        check.That(value > TimeSpan.Zero, setting, value, "must be a positive time span");
}
