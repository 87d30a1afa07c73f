using Microsoft.Extensions.Options;

namespace OrleansTabs.Web.Auth;

/// <summary>Validates <see cref="AdminOptions"/> at start-up with messages that name the bad setting.</summary>
public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AdminOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.Role) && string.IsNullOrWhiteSpace(o.Claim))
        {
            return ValidateOptionsResult.Fail($"{AdminOptions.SectionName}:{nameof(o.Role)} or {AdminOptions.SectionName}:{nameof(o.Claim)} must say who may open the Orleans dashboard.");
        }

        if (!string.IsNullOrEmpty(o.ClaimValue) && string.IsNullOrWhiteSpace(o.Claim))
        {
            return ValidateOptionsResult.Fail($"{AdminOptions.SectionName}:{nameof(o.ClaimValue)} is set, but {AdminOptions.SectionName}:{nameof(o.Claim)} is not.");
        }

        return ValidateOptionsResult.Success;
    }
}
