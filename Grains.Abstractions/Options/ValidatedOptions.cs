using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OrleansTabs.Grains.Options;

/// <summary>
/// The one way options are bound and validated: from their section, by an <see cref="IValidateOptions{TOptions}"/>
/// beside them, at start-up. Options a host needs while it is being built, before the service provider exists, are
/// read with <see cref="Read{TOptions}"/>, which validates as it binds.
/// </summary>
public static class ValidatedOptions
{
    /// <summary>Binds <typeparamref name="TOptions"/> from <paramref name="section"/> and validates it with <typeparamref name="TValidator"/> when the host starts.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
    }

    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from <paramref name="section"/> of the host's configuration (read from the
    /// service provider, for libraries that register services without it) and validates it with
    /// <typeparamref name="TValidator"/> when the host starts.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>Binds <typeparamref name="TOptions"/> from <paramref name="section"/> now; a bad setting throws <see cref="OptionsValidationException"/> naming it.</summary>
    public static TOptions Read<TOptions>(IConfiguration configuration, string section, IValidateOptions<TOptions> validator)
        where TOptions : class, new()
    {
        var options = configuration.GetSection(section).Get<TOptions>() ?? new TOptions();
        var result = validator.Validate(null, options);
        return result.Failed ? throw new OptionsValidationException(section, typeof(TOptions), result.Failures) : options;
    }
}
