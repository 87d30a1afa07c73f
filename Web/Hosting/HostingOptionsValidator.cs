using Microsoft.Extensions.Options;
using OrleansTabs.Grains.Options;

namespace OrleansTabs.Web.Hosting;

/// <summary>
/// Validates <see cref="HostingOptions"/>, naming the bad setting. The front-end needs these values while it is being
/// built (the mode decides what it registers), so <see cref="Read"/> validates as it binds.
/// </summary>
public sealed class HostingOptionsValidator(string? redisConnectionString) : IValidateOptions<HostingOptions>
{
    /// <summary>The connection string that points a front-end at the cluster's Redis.</summary>
    public const string RedisConnectionStringKey = "ConnectionStrings:Redis";

    /// <summary>Binds <c>OrleansTabs:Hosting</c> and throws <see cref="OptionsValidationException"/> if a setting is bad.</summary>
    public static HostingOptions Read(IConfiguration configuration) =>
        ValidatedOptions.Read(configuration, HostingOptions.SectionName, new HostingOptionsValidator(configuration[RedisConnectionStringKey]));

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HostingOptions o)
    {
        var check = new OptionsCheck(HostingOptions.SectionName);
        check.That(
            o.Mode is null || IsMode(o.Mode, HostingOptions.AllInOneMode) || IsMode(o.Mode, HostingOptions.ClientMode),
            nameof(o.Mode),
            o.Mode,
            $"must be {HostingOptions.AllInOneMode} or {HostingOptions.ClientMode} (unset: {HostingOptions.ClientMode} when {RedisConnectionStringKey} is set)");
        if (o.Mode is not null && IsMode(o.Mode, HostingOptions.ClientMode) && string.IsNullOrWhiteSpace(redisConnectionString))
        {
            check.Fail(nameof(o.Mode), $"is {HostingOptions.ClientMode}, which needs {RedisConnectionStringKey} to find the cluster.");
        }

        check.That(o.GarnetPort is >= 0 and <= 65535, nameof(o.GarnetPort), o.GarnetPort, "must be a port from 1 to 65535, or 0 for any free port");
        check.That(o.GarnetDataDirectory is null || o.GarnetDataDirectory.IndexOfAny(Path.GetInvalidPathChars()) < 0, nameof(o.GarnetDataDirectory), o.GarnetDataDirectory, "must be a directory path");
        for (var i = 0; i < o.CorsOrigins.Length; i++)
        {
            check.That(IsOrigin(o.CorsOrigins[i].TrimEnd('/')), $"{nameof(o.CorsOrigins)}:{i}", o.CorsOrigins[i], "must be an origin such as https://app.example.com");
        }

        return check.Result();
    }

    private static bool IsMode(string mode, string expected) => mode.Equals(expected, StringComparison.OrdinalIgnoreCase);

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);
}
