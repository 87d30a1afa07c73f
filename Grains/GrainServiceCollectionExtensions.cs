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
        services.AddValidatedOptions<SessionOptions, GrainOptionsValidator>(configuration, SessionOptions.SectionName);
        services.AddValidatedOptions<TabOptions, GrainOptionsValidator>(configuration, TabOptions.SectionName);
        services.AddValidatedOptions<RoomOptions, GrainOptionsValidator>(configuration, RoomOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RoomOptions>, DedupWindowValidator>());
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
