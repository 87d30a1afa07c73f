using Microsoft.Extensions.Options;

namespace OrleansTabs.Grains.Options;

/// <summary>Validates <see cref="SessionOptions"/> and <see cref="TabOptions"/> at start-up, naming the bad setting.</summary>
public sealed class GrainOptionsValidator : IValidateOptions<SessionOptions>, IValidateOptions<TabOptions>, IValidateOptions<RoomOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SessionOptions options)
    {
        var failures = new List<string>();
        Positive(failures, SessionOptions.SectionName, nameof(options.SlidingExpiration), options.SlidingExpiration);
        Positive(failures, SessionOptions.SectionName, nameof(options.AbsoluteLifetime), options.AbsoluteLifetime);
        Positive(failures, SessionOptions.SectionName, nameof(options.ExpiryCheckInterval), options.ExpiryCheckInterval);
        Positive(failures, SessionOptions.SectionName, nameof(options.ActivityReportInterval), options.ActivityReportInterval);
        if (!(options.SendsPerSecond > 0) || double.IsInfinity(options.SendsPerSecond))
        {
            failures.Add($"{SessionOptions.SectionName}:{nameof(options.SendsPerSecond)} must be a positive number (is {options.SendsPerSecond}).");
        }

        if (options.SendBurst < 1)
        {
            failures.Add($"{SessionOptions.SectionName}:{nameof(options.SendBurst)} must be at least 1 (is {options.SendBurst}).");
        }

        Range(failures, SessionOptions.SectionName, nameof(options.MaxTabsPerSession), options.MaxTabsPerSession, 1, 10_000);
        Range(failures, SessionOptions.SectionName, nameof(options.MaxSessionsPerUser), options.MaxSessionsPerUser, 1, 10_000);
        if (options.SlidingExpiration > options.AbsoluteLifetime)
        {
            failures.Add($"{SessionOptions.SectionName}:{nameof(options.SlidingExpiration)} ({options.SlidingExpiration}) must not exceed {nameof(options.AbsoluteLifetime)} ({options.AbsoluteLifetime}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TabOptions options)
    {
        var failures = new List<string>();
        Positive(failures, TabOptions.SectionName, nameof(options.Retention), options.Retention);
        Range(failures, TabOptions.SectionName, nameof(options.MaxRooms), options.MaxRooms, 1, 1000);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RoomOptions options)
    {
        var failures = new List<string>();
        Positive(failures, RoomOptions.SectionName, nameof(options.MaxAge), options.MaxAge);
        Positive(failures, RoomOptions.SectionName, nameof(options.DedupWindow), options.DedupWindow);
        if (options.MaxMessages < 1)
        {
            failures.Add($"{RoomOptions.SectionName}:{nameof(options.MaxMessages)} must be at least 1, but is {options.MaxMessages}.");
        }

        if (options.MaxBatch < 1)
        {
            failures.Add($"{RoomOptions.SectionName}:{nameof(options.MaxBatch)} must be at least 1, but is {options.MaxBatch}.");
        }

        if (string.IsNullOrWhiteSpace(options.KeyPrefix))
        {
            failures.Add($"{RoomOptions.SectionName}:{nameof(options.KeyPrefix)} must not be empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string section, string setting, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{section}:{setting} must be between {min} and {max}, but is {value}.");
        }
    }

    private static void Positive(List<string> failures, string section, string setting, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{section}:{setting} must be a positive time span, but is {value}.");
        }
    }
}
