using OrleansTabs.ServiceDefaults;
using Microsoft.Extensions.Options;
using OrleansTabs.Grains.Hosting;
using OrleansTabs.Grains.Options;
using OrleansTabs.AspNetCore.Auth;
using OrleansTabs.Web.Auth;
using OrleansTabs.Web.Hosting;
using OrleansTabs.AspNetCore.FrontEnd;
using OrleansTabs.AspNetCore.Protocol;
using OrleansTabs.AspNetCore.Push;
using OrleansTabs.AspNetCore.Transport;

namespace OrleansTabs.Tests.Hosting;

/// <summary>Every options validator reports alike: the full configuration key, the rule, the value; defaults pass.</summary>
public sealed class OptionsValidatorTests
{
    [Fact]
    public void TheDefaultsOfEveryOptionsClassAreValid()
    {
        Assert.True(new SocketOptionsValidator().Validate(null, new SocketOptions()).Succeeded);
        Assert.True(new FrontEndOptionsValidator().Validate(null, new FrontEndOptions()).Succeeded);
        Assert.True(new AuthOptionsValidator().Validate(null, new AuthOptions()).Succeeded);
        Assert.True(new AdminOptionsValidator().Validate(null, new AdminOptions()).Succeeded);
        Assert.True(new PushOptionsValidator().Validate(null, new PushOptions()).Succeeded);
        Assert.True(new KeyProtectionOptionsValidator().Validate(null, new KeyProtectionOptions()).Succeeded);
        Assert.True(new ProxyOptionsValidator().Validate(null, new ProxyOptions()).Succeeded);
        Assert.True(new OrleansTabsClusterOptionsValidator().Validate(null, new OrleansTabsClusterOptions()).Succeeded);
        Assert.True(new GrainOptionsValidator().Validate(null, new SessionOptions()).Succeeded);
        Assert.True(new GrainOptionsValidator().Validate(null, new TabOptions()).Succeeded);
        Assert.True(new GrainOptionsValidator().Validate(null, new RoomOptions()).Succeeded);
        Assert.True(new DedupWindowValidator(Options.Create(new TabOptions())).Validate(null, new RoomOptions()).Succeeded);
    }

    [Fact]
    public void AFailureNamesTheFullKeyTheRuleAndTheValue()
    {
        Assert.Equal(
            "OrleansTabs:Sockets:SendQueueCapacity must be between 8 and 100000, but is 2.",
            Failure(new SocketOptionsValidator().Validate(null, new SocketOptions { SendQueueCapacity = 2 })));
        Assert.Equal(
            "OrleansTabs:Sockets:SendQueueMaxDelay must be between 1 second and 1 hour, but is 00:00:00.5000000.",
            Failure(new SocketOptionsValidator().Validate(null, new SocketOptions { SendQueueMaxDelay = TimeSpan.FromMilliseconds(500) })));
        Assert.Equal(
            "OrleansTabs:Sockets:SendQueueMaxDelay must be between 1 second and 1 hour, but is 02:00:00.",
            Failure(new SocketOptionsValidator().Validate(null, new SocketOptions { SendQueueMaxDelay = TimeSpan.FromHours(2) })));
        Assert.Equal(
            "OrleansTabs:Sockets:MaxCallsInFlight must be between 1 and 4096, but is 0.",
            Failure(new SocketOptionsValidator().Validate(null, new SocketOptions { MaxCallsInFlight = 0 })));
        Assert.Equal(
            "Orleans:AdvertisedIp must be an IP address such as 10.0.0.5, but is 'silo-1.internal'.",
            Failure(new OrleansTabsClusterOptionsValidator().Validate(null, new OrleansTabsClusterOptions { AdvertisedIp = "silo-1.internal" })));
        Assert.Equal(
            "OrleansTabs:Hosting:ForwardedHeaders:KnownNetworks:0 must be a network such as 10.0.0.0/8, but is '10.0.0.0'.",
            Failure(new ProxyOptionsValidator().Validate(null, new ProxyOptions { KnownNetworks = ["10.0.0.0"] })));
        Assert.Equal(
            "OrleansTabs:Rooms:DedupWindow must be at least OrleansTabs:Tabs:Retention (00:02:00), but is 00:01:00.",
            Failure(new DedupWindowValidator(Options.Create(new TabOptions())).Validate(null, new RoomOptions { DedupWindow = TimeSpan.FromMinutes(1) })));
    }

    [Fact]
    public void ARuleBetweenTwoSettingsNamesBoth()
    {
        var sessions = Failure(new GrainOptionsValidator().Validate(null, new SessionOptions { SlidingExpiration = TimeSpan.FromHours(13) }));
        var leases = Failure(new FrontEndOptionsValidator().Validate(null, new FrontEndOptions { LeaseTime = TimeSpan.FromSeconds(3) }));
        var ports = Failure(new OrleansTabsClusterOptionsValidator().Validate(null, new OrleansTabsClusterOptions { GatewayPort = 11111 }));

        Assert.StartsWith("OrleansTabs:Sessions:SlidingExpiration must not exceed OrleansTabs:Sessions:AbsoluteLifetime", sessions, StringComparison.Ordinal);
        Assert.StartsWith("OrleansTabs:FrontEnd:LeaseTime must be at least twice OrleansTabs:FrontEnd:LeaseRenewInterval", leases, StringComparison.Ordinal);
        Assert.StartsWith("Orleans:GatewayPort must differ from Orleans:SiloPort", ports, StringComparison.Ordinal);
    }

    [Fact]
    public void APushKeyIsUnsetOrAKeyAHeaderCanCarry()
    {
        Assert.True(new PushOptionsValidator().Validate(null, new PushOptions { ApiKey = "" }).Succeeded);
        Assert.True(new PushOptionsValidator().Validate(null, new PushOptions { ApiKey = "dev-push-key" }).Succeeded);

        foreach (var bad in new[] { " ", "two words", "tab\there", "clé", new string('k', PushOptionsValidator.MaxKeyLength + 1) })
        {
            var failure = Failure(new PushOptionsValidator().Validate(null, new PushOptions { ApiKey = bad }));
            Assert.StartsWith("OrleansTabs:Push:ApiKey must be 1-512 visible ASCII characters", failure, StringComparison.Ordinal);

            // The key is a secret: the message names the setting, never its value.
            Assert.DoesNotContain($"'{bad}'", failure, StringComparison.Ordinal);
            Assert.DoesNotContain("but is", failure, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ACertificatePasswordWithoutACertificateNamesBoth()
    {
        Assert.Equal(
            "OrleansTabs:DataProtection:CertificatePassword is set, but OrleansTabs:DataProtection:CertificatePath is not.",
            Failure(new KeyProtectionOptionsValidator().Validate(null, new KeyProtectionOptions { CertificatePassword = "secret" })));
        Assert.True(new KeyProtectionOptionsValidator().Validate(null, new KeyProtectionOptions { CertificatePath = "keys.pfx", CertificatePassword = "secret" }).Succeeded);
    }

    private static string Failure(ValidateOptionsResult result)
    {
        Assert.True(result.Failed);
        return Assert.Single(result.Failures!);
    }
}
