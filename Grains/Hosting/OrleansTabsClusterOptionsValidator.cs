using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace OrleansTabs.Grains.Hosting;

/// <summary>
/// Validates <see cref="OrleansTabsClusterOptions"/>, naming the bad setting. The hosts need these values while they
/// configure the silo or client, before the service provider exists, so <see cref="Read"/> validates as it binds.
/// </summary>
public sealed class OrleansTabsClusterOptionsValidator : IValidateOptions<OrleansTabsClusterOptions>
{
    /// <summary>Binds the <c>Orleans</c> section and throws <see cref="OptionsValidationException"/> if a setting is bad.</summary>
    public static OrleansTabsClusterOptions Read(IConfiguration configuration)
    {
        var options = configuration.GetSection(OrleansTabsClusterOptions.SectionName).Get<OrleansTabsClusterOptions>() ?? new OrleansTabsClusterOptions();
        var result = new OrleansTabsClusterOptionsValidator().Validate(null, options);
        return result.Failed
            ? throw new OptionsValidationException(OrleansTabsClusterOptions.SectionName, typeof(OrleansTabsClusterOptions), result.Failures)
            : options;
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OrleansTabsClusterOptions options)
    {
        const string section = OrleansTabsClusterOptions.SectionName;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            failures.Add($"{section}:{nameof(options.ClusterId)} must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add($"{section}:{nameof(options.ServiceId)} must not be empty.");
        }

        Port(failures, nameof(options.SiloPort), options.SiloPort);
        Port(failures, nameof(options.GatewayPort), options.GatewayPort);
        if (options.SiloPort == options.GatewayPort)
        {
            failures.Add($"{section}:{nameof(options.GatewayPort)} must differ from {nameof(options.SiloPort)} (both are {options.SiloPort}).");
        }

        if (!string.IsNullOrWhiteSpace(options.AdvertisedIp) && !IPAddress.TryParse(options.AdvertisedIp, out _))
        {
            failures.Add($"{section}:{nameof(options.AdvertisedIp)} must be an IP address such as 10.0.0.5 (is '{options.AdvertisedIp}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Port(List<string> failures, string setting, int value)
    {
        if (value is < 1 or > 65535)
        {
            failures.Add($"{OrleansTabsClusterOptions.SectionName}:{setting} must be a port from 1 to 65535 (is {value}).");
        }
    }
}
