using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.TypeSystem;
using OrleansTabs.Grains.Sessions;
using OrleansTabs.Sessions;

namespace OrleansTabs.Tests.Grains;

/// <summary>
/// The rule of docs/sdk.md, "Rolling upgrades", over the contracts and grains assemblies: every grain interface, grain
/// method, serialized type and enum carries an alias, aliases do not clash, and every grain class pins its grain type.
/// A type added without an alias fails here.
/// </summary>
public sealed class AliasRuleTests
{
    private static readonly Assembly[] Assemblies = [typeof(ISessionGrain).Assembly, typeof(SessionGrain).Assembly];

    private static readonly Type[] Types = [.. Assemblies.SelectMany(a => a.GetTypes()).Where(t => t.Namespace?.StartsWith("OrleansTabs", StringComparison.Ordinal) == true)];

    private static readonly Type[] GrainInterfaces = [.. Types.Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t))];

    private static readonly Type[] SerializedTypes = [.. Types.Where(t => t.IsEnum || t.IsDefined(typeof(GenerateSerializerAttribute), false))];

    [Fact]
    public void EveryGrainInterfaceAndItsMethodsHaveAnAlias()
    {
        Assert.NotEmpty(GrainInterfaces);
        Assert.Empty(GrainInterfaces.Where(t => AliasOf(t) is null).Select(t => t.FullName));
        Assert.Empty(GrainInterfaces.SelectMany(Methods).Where(m => AliasOf(m) is null).Select(m => $"{m.DeclaringType!.Name}.{m.Name}"));
    }

    [Fact]
    public void MethodAliasesAreUniqueInTheirInterfaceAndNotHexadecimal()
    {
        foreach (var grainInterface in GrainInterfaces)
        {
            var aliases = Methods(grainInterface).Select(AliasOf).ToArray();
            Assert.Empty(aliases.GroupBy(a => a).Where(g => g.Count() > 1).Select(g => $"{grainInterface.Name}: {g.Key}"));

            // Orleans names a call by its method alias unless the alias reads as hexadecimal: then it competes with the
            // generated id, a hash of the CLR signature, and a rename could change the name on the wire.
            Assert.DoesNotContain(aliases, a => ulong.TryParse(a, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out _));
        }
    }

    [Fact]
    public void EverySerializedTypeAndEnumHasAnAlias()
    {
        Assert.NotEmpty(SerializedTypes);
        Assert.Empty(SerializedTypes.Where(t => AliasOf(t) is null).Select(t => t.FullName));
    }

    [Fact]
    public void TypeAliasesAreUniqueAndTheLibrarys()
    {
        var aliases = GrainInterfaces.Concat(SerializedTypes).Select(AliasOf).ToArray();

        Assert.Empty(aliases.GroupBy(a => a).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.All(aliases, a => Assert.StartsWith("ot.", a, StringComparison.Ordinal));
    }

    [Fact]
    public void OrleansWritesEachTypeByItsAlias()
    {
        var names = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<TypeConverter>();

        Assert.All(GrainInterfaces.Concat(SerializedTypes), t => Assert.Equal(AliasOf(t), names.Format(t)));
    }

    [Fact]
    public void EveryGrainClassPinsItsStoredGrainType()
    {
        var grainClasses = Types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(Grain).IsAssignableFrom(t)).ToArray();

        var pinned = grainClasses.ToDictionary(t => t.Name, t => t.GetCustomAttribute<GrainTypeAttribute>()?.GetGrainType(null!, t).ToString());

        // The names storage keys and reminder rows hold: a renamed grain class keeps its entry's name.
        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["FrontEndDirectoryGrain"] = "frontenddirectory",
                ["FrontEndTabsGrain"] = "frontendtabs",
                ["RoomGrain"] = "room",
                ["SessionGrain"] = "session",
                ["TabGrain"] = "tab",
                ["TopicGrain"] = "topic",
                ["UserGrain"] = "user",
            },
            pinned);
    }

    private static IEnumerable<MethodInfo> Methods(Type grainInterface) =>
        grainInterface.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);

    private static string? AliasOf(MemberInfo member) =>
        member.GetCustomAttributes<AliasAttribute>(false).SingleOrDefault()?.Alias;
}
