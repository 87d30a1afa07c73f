using Microsoft.Extensions.Options;
using OrleansTabs.Grains.Options;

namespace OrleansTabs.AspNetCore.Push;

/// <summary>Validates <see cref="PushOptions"/> at start-up with messages that name the bad setting, never its value.</summary>
internal sealed class PushOptionsValidator : IValidateOptions<PushOptions>
{
    /// <summary>The longest key: far more than a random key needs, well within a header.</summary>
    public const int MaxKeyLength = 512;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PushOptions o)
    {
        var check = new OptionsCheck(PushOptions.SectionName);

        // A key no X-Push-Key header can carry (blank, spaces, control or non-ASCII characters) would refuse every call
        // while the API looks switched on. The value is a secret: the message does not show it.
        if (!string.IsNullOrEmpty(o.ApiKey) && (o.ApiKey.Length > MaxKeyLength || !o.ApiKey.All(c => c is > ' ' and <= '~')))
        {
            check.Fail(nameof(o.ApiKey), $"must be 1-{MaxKeyLength} visible ASCII characters without spaces (what an {PushEndpoints.KeyHeader} header carries), or unset to switch the push API off.");
        }

        return check.Result();
    }
}
