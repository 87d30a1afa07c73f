using Microsoft.Extensions.Options;
using OrleansTabs.Grains.Options;

namespace OrleansTabs.AspNetCore.FrontEnd;

/// <summary>Validates <see cref="FrontEndOptions"/> at start-up: a lease must outlive several renewals.</summary>
internal sealed class FrontEndOptionsValidator : IValidateOptions<FrontEndOptions>
{
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
        return check.Result();
    }
}
