using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansTabs.Grains.Options;

namespace OrleansTabs.Grains;

/// <summary>Registers what the grains need in a silo: validated options and the clock.</summary>
public static class GrainServiceCollectionExtensions
{
    /// <summary>The grain storage provider holding sessions and tabs.</summary>
    public const string StorageName = "orleanstabs";

    /// <summary>Binds and validates the grain options from configuration and adds the system clock if none is registered.</summary>
    public static IServiceCollection AddOrleansTabsGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SessionOptions>().Bind(configuration.GetSection(SessionOptions.SectionName)).ValidateOnStart();
        services.AddOptions<TabOptions>().Bind(configuration.GetSection(TabOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionOptions>, GrainOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TabOptions>, GrainOptionsValidator>());
        services.AddOptions<RoomOptions>().Bind(configuration.GetSection(RoomOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RoomOptions>, GrainOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RoomOptions>, DedupWindowValidator>());
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
