using Microsoft.Extensions.Options;
using OrleansTabs.Grains.Options;

namespace OrleansTabs.AspNetCore.Auth;

/// <summary>Validates <see cref="AuthOptions"/> at start-up with messages that name the bad setting.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AuthOptions o)
    {
        var check = new OptionsCheck(AuthOptions.SectionName);
        check.That(o.LoginsPerMinute is >= 1 and <= 1_000_000, nameof(o.LoginsPerMinute), o.LoginsPerMinute, "must be between 1 and 1000000");
        check.That(!string.IsNullOrWhiteSpace(o.CookieName), nameof(o.CookieName), o.CookieName, "must not be empty");
        return check.Result();
    }
}
