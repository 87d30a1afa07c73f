using Microsoft.Extensions.Options;
using OrleansTabs.Grains.Options;

namespace OrleansTabs.ServiceDefaults;

/// <summary>
/// Where a host serves what only operators should reach: <c>/metrics</c> and the Orleans dashboard. Outside
/// Development they are served on a port of their own (9090 unless <see cref="Port"/> says otherwise), which a
/// deployment keeps off its public endpoint; in Development they are served on the app's port as well, unless a port is
/// set.
/// </summary>
public sealed class ManagementOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OrleansTabs:Management";

    /// <summary>The port outside Development when <see cref="Port"/> is unset.</summary>
    public const int DefaultPort = 9090;

    /// <summary>The management port; unset: <see cref="DefaultPort"/> outside Development, none (the app's port) in Development.</summary>
    public int? Port { get; set; }

    /// <summary>The host part of the management URL: <c>*</c> (every interface, the default) or an address such as <c>127.0.0.1</c>.</summary>
    public string Host { get; set; } = "*";
}

/// <summary>Validates <see cref="ManagementOptions"/>, naming the bad setting.</summary>
public sealed class ManagementOptionsValidator : IValidateOptions<ManagementOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ManagementOptions o)
    {
        var check = new OptionsCheck(ManagementOptions.SectionName);
        check.That(o.Port is null or (>= 1 and <= 65535), nameof(o.Port), o.Port, "must be a port from 1 to 65535");
        check.That(!string.IsNullOrWhiteSpace(o.Host) && !o.Host.Contains(':', StringComparison.Ordinal) && !o.Host.Contains('/', StringComparison.Ordinal),
            nameof(o.Host), o.Host, "must be * or a host name or IPv4 address, without scheme or port");
        return check.Result();
    }
}
