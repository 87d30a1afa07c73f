using Microsoft.Extensions.Options;
using OrleansTabs.Tests.Infrastructure;
using OrleansTabs.Web.Hosting;
using StackExchange.Redis;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>Data Protection keys in Redis encrypted with a configured certificate.</summary>
[Collection(ProductionCollection.Name)]
public sealed class KeyProtectionTests(ProductionFixture fixture)
{
    [Fact]
    public async Task TheKeyRingInRedisIsEncryptedToTheCertificateAndStillReadsCookies()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestRedis.ConnectionString);
        var keys = await redis.GetDatabase().ListRangeAsync($"orleanstabs:{fixture.ServiceId}:dataprotection-keys");

        Assert.NotEmpty(keys);
        Assert.All(keys.Select(k => k.ToString()), key =>
        {
            Assert.Contains("encryptedSecret", key, StringComparison.Ordinal);
            Assert.Contains("EncryptedXmlDecryptor", key, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", key, StringComparison.Ordinal);
        });
        using var session = await TestSession.SignInWithTokenAsync(fixture.Server, TestTokens.ForUser("keyring"));
        Assert.Equal("sub-keyring", (await session.MeAsync())!.Value.GetProperty("user").GetString());
    }

    [Fact]
    public async Task AWrongPasswordOrAMissingFileNamesTheSetting()
    {
        var path = await TestCertificates.WritePfxAsync("right");
        try
        {
            var wrong = Assert.Throws<OptionsValidationException>(() => KeyProtection.Load(new KeyProtectionOptions { CertificatePath = path, CertificatePassword = "wrong" }, "/"));
            Assert.Contains("OrleansTabs:DataProtection:CertificatePassword", wrong.Message, StringComparison.Ordinal);
            var missing = Assert.Throws<OptionsValidationException>(() => KeyProtection.Load(new KeyProtectionOptions { CertificatePath = path + ".missing" }, "/"));
            Assert.Contains("OrleansTabs:DataProtection:CertificatePath", missing.Message, StringComparison.Ordinal);
            using var loaded = KeyProtection.Load(new KeyProtectionOptions { CertificatePath = path, CertificatePassword = "right" }, "/");
            Assert.True(loaded.HasPrivateKey);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
