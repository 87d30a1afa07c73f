using Microsoft.Extensions.Options;
using OrleansTabs.Grains.Options;

namespace OrleansTabs.Web.Auth;

/// <summary>Validates <see cref="AdminOptions"/> at start-up with messages that name the bad setting.</summary>
public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AdminOptions o)
    {
        var check = new OptionsCheck(AdminOptions.SectionName);
        if (string.IsNullOrWhiteSpace(o.Role) && string.IsNullOrWhiteSpace(o.Claim))
        {
            check.Fail(nameof(o.Role), $"or {check.Key(nameof(o.Claim))} must say who may open the Orleans dashboard.");
        }
        else if (!string.IsNullOrEmpty(o.ClaimValue) && string.IsNullOrWhiteSpace(o.Claim))
        {
            check.Fail(nameof(o.ClaimValue), $"is set, but {check.Key(nameof(o.Claim))} is not.");
        }

        return check.Result();
    }
}
