using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansTabs.Tests.Infrastructure;

/// <summary>Self-signed certificates made in the test, written as password-protected .pfx files.</summary>
public static class TestCertificates
{
    /// <summary>Writes a fresh self-signed certificate with its private key; returns the file.</summary>
    public static async Task<string> WritePfxAsync(string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=OrleansTabs test key protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(Path.GetTempPath(), $"orleanstabs-test-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }
}
