using System.Net;
using Microsoft.Extensions.Options;

namespace OrleansTabs.Web.Hosting;

/// <summary>Validates <see cref="ProxyOptions"/> at start-up with messages that name the bad setting.</summary>
public sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ProxyOptions o)
    {
        var failures = o.KnownProxies.Where(p => !IPAddress.TryParse(p, out _))
            .Select(p => $"{ProxyOptions.SectionName}:{nameof(o.KnownProxies)} must list IP addresses, but has '{p}'.")
            .Concat(o.KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _))
                .Select(n => $"{ProxyOptions.SectionName}:{nameof(o.KnownNetworks)} must list networks like 10.0.0.0/8, but has '{n}'."))
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
