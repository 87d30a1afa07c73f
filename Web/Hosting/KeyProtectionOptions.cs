namespace OrleansTabs.Web.Hosting;

/// <summary>
/// Encryption at rest of the Data Protection key ring in Redis, bound from <c>OrleansTabs:DataProtection</c>. With a
/// certificate, every key is stored encrypted to it, so reading Redis is not enough to forge or read session cookies;
/// every front-end needs the same certificate (with its private key) to read the ring.
/// </summary>
public sealed class KeyProtectionOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OrleansTabs:DataProtection";

    /// <summary>A PKCS#12 (.pfx) file with the certificate and its private key, relative to the content root (unset: keys stored unencrypted).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/>.</summary>
    public string? CertificatePassword { get; set; }
}
