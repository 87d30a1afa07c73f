using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace OrleansTabs.Web.Hosting;

/// <summary>Applies <see cref="KeyProtectionOptions"/>: keys in Redis encrypted with a certificate.</summary>
public static class KeyProtection
{
    /// <summary>Encrypts the key ring with the configured certificate, if one is configured.</summary>
    public static IDataProtectionBuilder ProtectKeysWithConfiguredCertificate(this IDataProtectionBuilder builder, IConfiguration configuration, string contentRoot)
    {
        var options = KeyProtectionOptionsValidator.Read(configuration);
        return string.IsNullOrWhiteSpace(options.CertificatePath) ? builder : builder.ProtectKeysWithCertificate(Load(options, contentRoot));
    }

    /// <summary>Loads the certificate; a missing file, a wrong password or no private key stops the start naming the setting.</summary>
    public static X509Certificate2 Load(KeyProtectionOptions options, string contentRoot)
    {
        var path = Path.Combine(contentRoot, options.CertificatePath!);
        if (!File.Exists(path))
        {
            throw Invalid($"{KeyProtectionOptions.SectionName}:{nameof(options.CertificatePath)} names no file: {path}.");
        }

        X509Certificate2 certificate;
        try
        {
            // Start-up only, before the server takes requests; the loader has no asynchronous form.
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
        }
        catch (CryptographicException ex)
        {
            throw Invalid($"{KeyProtectionOptions.SectionName}:{nameof(options.CertificatePath)} could not be read with {KeyProtectionOptions.SectionName}:{nameof(options.CertificatePassword)}: {ex.Message}");
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw Invalid($"{KeyProtectionOptions.SectionName}:{nameof(options.CertificatePath)} must hold the certificate's private key (a .pfx file).");
        }

        return certificate;
    }

    private static OptionsValidationException Invalid(string message) =>
        new(KeyProtectionOptions.SectionName, typeof(KeyProtectionOptions), [message]);
}
