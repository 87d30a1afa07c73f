using Microsoft.Extensions.Options;

namespace OrleansTabs.Web.Sockets;

/// <summary>Validates <see cref="FrontEndOptions"/> at start-up: a lease must outlive several renewals.</summary>
public sealed class FrontEndOptionsValidator : IValidateOptions<FrontEndOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, FrontEndOptions options)
    {
        if (options.LeaseRenewInterval <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail($"{FrontEndOptions.SectionName}:{nameof(options.LeaseRenewInterval)} must be positive, but is {options.LeaseRenewInterval}.");
        }

        return options.LeaseTime >= options.LeaseRenewInterval * 2
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{FrontEndOptions.SectionName}:{nameof(options.LeaseTime)} ({options.LeaseTime}) must be at least twice {nameof(options.LeaseRenewInterval)} ({options.LeaseRenewInterval}), or one late renewal drops a live front-end.");
    }
}
