using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Persistence;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansTabs;
using OrleansTabs.Grains;
using OrleansTabs.Grains.Api;
using OrleansTabs.Grains.Hosting;
using OrleansTabs.Grains.Options;
using OrleansTabs.Grains.Rooms;
using OrleansTabs.Grains.Storage;

namespace Orleans.Hosting;

/// <summary>Adds OrleansTabs' grains to an Orleans silo that the host configures (its clustering, storage, grains, reminders).</summary>
public static class OrleansTabsSiloBuilderExtensions
{
    /// <summary>
    /// Adds what the OrleansTabs grains need, under names of its own: Redis grain storage
    /// (<see cref="GrainServiceCollectionExtensions.StorageName"/>), the Redis room log, reminders in Redis unless the host
    /// configured a reminder table, the clock unless the host registered one, the options (<c>OrleansTabs:Sessions</c>,
    /// <c>:Tabs</c>, <c>:Rooms</c> from configuration over what <paramref name="configure"/> sets, validated at start-up)
    /// and <see cref="IOrleansTabs"/>. The host's clustering and other storage providers are left as they are.
    /// <paramref name="redisConnectionString"/> is a StackExchange.Redis configuration string. Adding it again with the
    /// same connection string changes nothing; with another one it throws <see cref="InvalidOperationException"/>.
    /// </summary>
    public static ISiloBuilder AddOrleansTabs(this ISiloBuilder siloBuilder, string redisConnectionString, Action<OrleansTabsSiloOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(siloBuilder);
        ArgumentException.ThrowIfNullOrWhiteSpace(redisConnectionString);
        var services = siloBuilder.Services;
        if (services.FirstOrDefault(d => d.ServiceType == typeof(SiloMarker))?.ImplementationInstance is SiloMarker added)
        {
            return added.Redis == redisConnectionString
                ? siloBuilder
                : throw new InvalidOperationException("OrleansTabs was added to this silo twice, with two Redis connection strings: call AddOrleansTabs once.");
        }

        services.AddSingleton(new SiloMarker(redisConnectionString));
        if (configure is not null)
        {
            // The code's choices first, then the configuration's, which override them where a key is set.
            var code = new OrleansTabsSiloOptions();
            configure(code);
            services.AddOptions<SessionOptions>().Configure(o => OptionsCopy.Copy(code.Sessions, o));
            services.AddOptions<TabOptions>().Configure(o => OptionsCopy.Copy(code.Tabs, o));
            services.AddOptions<RoomOptions>().Configure(o => OptionsCopy.Copy(code.Rooms, o));
        }

        services.AddValidatedOptions<SessionOptions, GrainOptionsValidator>(SessionOptions.SectionName);
        services.AddValidatedOptions<TabOptions, GrainOptionsValidator>(TabOptions.SectionName);
        services.AddValidatedOptions<RoomOptions, GrainOptionsValidator>(RoomOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RoomOptions>, DedupWindowValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // A cleared state (an expired tab, a session removed after its expiry) is deleted, not kept as an empty record
        // with no expiry of its own.
        siloBuilder.AddRedisGrainStorage(GrainServiceCollectionExtensions.StorageName, o =>
        {
            o.ConfigurationOptions = OrleansTabsSiloExtensions.StorageRedisConfiguration(redisConnectionString);
            o.DeleteStateOnClear = true;
        });
        services.AddOptions<RedisStorageOptions>(GrainServiceCollectionExtensions.StorageName)
            .Configure<Serializer, IGrainStorageSerializer>((o, serializer, json) => o.GrainStorageSerializer = new StateSerializer(serializer, json));

        // Every write of the grains' storage completes only once it is durable (a store that answers before it commits
        // registers its own IStoreDurability). Registered after Redis' own, so the storage resolved by name is this one.
        services.TryAddSingleton<IStoreDurability>(AnsweredWhenDurable.Instance);
        services.AddKeyedSingleton<IGrainStorage>(
            GrainServiceCollectionExtensions.StorageName,
            static (sp, name) => new DurableGrainStorage(RedisGrainStorageFactory.Create(sp, (string)name!), sp.GetRequiredService<IStoreDurability>()));

        // Sessions register an expiry reminder: the host's reminder table if it has one, else one in Redis.
        siloBuilder.AddReminders();
        services.TryAddSingleton<IReminderTable, RedisReminderTable>();
        // OrleansTabs' own connection (a host's own multiplexer, if it registers one, is never taken for it).
        services.TryAddSingleton(_ => new RedisConnection(OrleansTabsSiloExtensions.RedisConfiguration(redisConnectionString)));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, RedisConnection.SiloOpener>();

        // A host may register its own room log (another backend) before this; otherwise the Redis one.
        services.TryAddSingleton<IRoomLog, RedisRoomLog>();
        services.TryAddSingleton<IOrleansTabs, OrleansTabsServer>();
        return siloBuilder;
    }

    /// <summary>Tells a second <c>AddOrleansTabs</c> that the grains' services are there, and on which Redis.</summary>
    private sealed record SiloMarker(string Redis);
}
