using Microsoft.Extensions.Options;

namespace OrleansTabs.Web.Auth;

/// <summary>Validates <see cref="AuthOptions"/> at start-up with messages that name the bad setting.</summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (options.LoginsPerMinute is < 1 or > 1_000_000)
        {
            failures.Add($"{AuthOptions.SectionName}:{nameof(options.LoginsPerMinute)} must be between 1 and 1000000, but is {options.LoginsPerMinute}.");
        }

        if (string.IsNullOrWhiteSpace(options.CookieName))
        {
            failures.Add($"{AuthOptions.SectionName}:{nameof(options.CookieName)} must not be empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
