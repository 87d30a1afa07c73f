using System.Net;
using Microsoft.Extensions.Options;
using OrleansTabs.Grains.Options;

namespace OrleansTabs.Web.Hosting;

/// <summary>Validates <see cref="ProxyOptions"/> at start-up with messages that name the bad setting.</summary>
public sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ProxyOptions o)
    {
        var check = new OptionsCheck(ProxyOptions.SectionName);
        for (var i = 0; i < o.KnownProxies.Length; i++)
        {
            check.That(IPAddress.TryParse(o.KnownProxies[i], out _), $"{nameof(o.KnownProxies)}:{i}", o.KnownProxies[i], "must be an IP address such as 10.0.0.5");
        }

        for (var i = 0; i < o.KnownNetworks.Length; i++)
        {
            check.That(IPNetwork.TryParse(o.KnownNetworks[i], out _), $"{nameof(o.KnownNetworks)}:{i}", o.KnownNetworks[i], "must be a network such as 10.0.0.0/8");
        }

        return check.Result();
    }
}
