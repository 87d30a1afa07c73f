using Microsoft.Extensions.Options;
using OrleansTabs.Grains.Options;

namespace OrleansTabs.Web.Hosting;

/// <summary>
/// Validates <see cref="KeyProtectionOptions"/> as they are read, with messages that name the bad setting; whether the
/// certificate opens is checked where it is loaded (<see cref="KeyProtection.Load"/>).
/// </summary>
public sealed class KeyProtectionOptionsValidator : IValidateOptions<KeyProtectionOptions>
{
    /// <summary>Binds and validates <c>OrleansTabs:DataProtection</c>; a bad setting throws <see cref="OptionsValidationException"/> naming it.</summary>
    public static KeyProtectionOptions Read(IConfiguration configuration) =>
        ValidatedOptions.Read(configuration, KeyProtectionOptions.SectionName, new KeyProtectionOptionsValidator());

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, KeyProtectionOptions o)
    {
        var check = new OptionsCheck(KeyProtectionOptions.SectionName);

        // A password with no certificate to open would leave the key ring unencrypted while it looks protected.
        if (!string.IsNullOrEmpty(o.CertificatePassword) && string.IsNullOrWhiteSpace(o.CertificatePath))
        {
            check.Fail(nameof(o.CertificatePassword), $"is set, but {check.Key(nameof(o.CertificatePath))} is not.");
        }

        return check.Result();
    }
}
