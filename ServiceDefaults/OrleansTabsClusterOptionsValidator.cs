using OrleansTabs.ServiceDefaults;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OrleansTabs.Grains.Options;

namespace OrleansTabs.ServiceDefaults;

/// <summary>
/// Validates <see cref="OrleansTabsClusterOptions"/>, naming the bad setting. The hosts need these values while they
/// configure the silo or client, before the service provider exists, so <see cref="Read"/> validates as it binds.
/// </summary>
public sealed class OrleansTabsClusterOptionsValidator : IValidateOptions<OrleansTabsClusterOptions>
{
    /// <summary>Binds the <c>Orleans</c> section and throws <see cref="OptionsValidationException"/> if a setting is bad.</summary>
    public static OrleansTabsClusterOptions Read(IConfiguration configuration) =>
        ValidatedOptions.Read(configuration, OrleansTabsClusterOptions.SectionName, new OrleansTabsClusterOptionsValidator());

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OrleansTabsClusterOptions o)
    {
        var check = new OptionsCheck(OrleansTabsClusterOptions.SectionName);
        check.That(!string.IsNullOrWhiteSpace(o.ClusterId), nameof(o.ClusterId), o.ClusterId, "must not be empty");
        check.That(!string.IsNullOrWhiteSpace(o.ServiceId), nameof(o.ServiceId), o.ServiceId, "must not be empty");
        check.That(o.SiloPort is >= 1 and <= 65535, nameof(o.SiloPort), o.SiloPort, "must be a port from 1 to 65535");
        check.That(o.GatewayPort is >= 1 and <= 65535, nameof(o.GatewayPort), o.GatewayPort, "must be a port from 1 to 65535");
        check.That(o.GatewayPort != o.SiloPort, nameof(o.GatewayPort), o.GatewayPort, $"must differ from {check.Key(nameof(o.SiloPort))}");
        check.That(string.IsNullOrWhiteSpace(o.AdvertisedIp) || IPAddress.TryParse(o.AdvertisedIp, out _), nameof(o.AdvertisedIp), o.AdvertisedIp, "must be an IP address such as 10.0.0.5");
        return check.Result();
    }
}
