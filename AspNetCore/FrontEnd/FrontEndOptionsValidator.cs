using Microsoft.Extensions.Options;
using OrleansTabs.Grains.Options;

namespace OrleansTabs.AspNetCore.FrontEnd;

/// <summary>Validates <see cref="FrontEndOptions"/> at start-up: a lease must outlive several renewals, and a drain must end.</summary>
internal sealed class FrontEndOptionsValidator : IValidateOptions<FrontEndOptions>
{
    /// <summary>The longest drain: beyond it a deploy waits minutes per front-end for tabs that could resume at once.</summary>
    private static readonly TimeSpan MaxDrainWindow = TimeSpan.FromMinutes(5);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, FrontEndOptions o)
    {
        var check = new OptionsCheck(FrontEndOptions.SectionName);
        check.That(o.LeaseRenewInterval > TimeSpan.Zero, nameof(o.LeaseRenewInterval), o.LeaseRenewInterval, "must be positive");
        check.That(
            o.LeaseTime >= o.LeaseRenewInterval * 2,
            nameof(o.LeaseTime),
            o.LeaseTime,
            $"must be at least twice {check.Key(nameof(o.LeaseRenewInterval))} ({o.LeaseRenewInterval}), or one late renewal drops a live front-end");
        check.That(
            o.DrainWindow >= TimeSpan.Zero && o.DrainWindow <= MaxDrainWindow,
            nameof(o.DrainWindow),
            o.DrainWindow,
            $"must be between zero (close every socket at once) and {MaxDrainWindow}, or a stopping front-end holds its tabs too long");
        return check.Result();
    }
}
