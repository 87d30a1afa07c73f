using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Serialization;
using Orleans.Serialization.Configuration;
using Orleans.Serialization.TypeSystem;
using Orleans.Storage;
using OrleansTabs.Grains.Sessions;
using OrleansTabs.Grains.Storage;
using OrleansTabs.Grains.Tabs;
using OrleansTabs.Grains.Users;
using OrleansTabs.Sessions;

namespace OrleansTabs.Tests.Grains;

/// <summary>
/// What a rolling upgrade relies on: stored state written by today's types reads back, and a later build that renames a
/// type, an interface or a method but keeps its alias reads today's bytes and calls into the same ids.
/// </summary>
public sealed class RollingUpgradeTests
{
    [Fact]
    public void StoredSessionStateReadsBack()
    {
        var read = Storage(Today()).Deserialize<SessionState>(Bytes(StoredStateBytes.Session));
        Assert.Equivalent(StoredStateSamples.Session(), read, strict: true);
    }

    [Fact]
    public void StoredTabStateReadsBack()
    {
        var read = Storage(Today()).Deserialize<TabState>(Bytes(StoredStateBytes.Tab));
        Assert.Equivalent(StoredStateSamples.Tab(), read, strict: true);
    }

    [Fact]
    public void StoredUserStateReadsBack()
    {
        var read = Storage(Today()).Deserialize<UserState>(Bytes(StoredStateBytes.User));
        Assert.Equivalent(StoredStateSamples.User(), read, strict: true);
    }

    [Fact]
    public void ARenamedStateTypeReadsStoredState()
    {
        var read = Storage(Renamed()).Deserialize<RenamedSessionState>(Bytes(StoredStateBytes.Session));

        AssertSameSession(StoredStateSamples.Session(), Assert.IsType<RenamedSessionState>(read));
    }

    [Fact]
    public void AStateValueWrittenUnderItsAliasReadsBackAsTheRenamedType()
    {
        // Written where the declared type is not the stored one, the value carries its type's name: the alias.
        var written = Storage(Today()).Serialize<object>(StoredStateSamples.Session());
        var text = System.Text.Encoding.UTF8.GetString(written.ToArray());
        Assert.Contains("ot.SessionState", text, StringComparison.Ordinal);
        Assert.DoesNotContain(typeof(SessionState).FullName!, text, StringComparison.Ordinal);

        var read = Storage(Renamed()).Deserialize<object>(written);

        AssertSameSession(StoredStateSamples.Session(), Assert.IsType<RenamedSessionState>(read));
    }

    [Fact]
    public void ARenamedGrainInterfaceHasTheSameInterfaceTypeId()
    {
        var today = new GrainInterfaceTypeResolver([], Today().GetRequiredService<TypeConverter>());
        var renamed = new GrainInterfaceTypeResolver([], Renamed().GetRequiredService<TypeConverter>());

        var id = today.GetGrainInterfaceType(typeof(ISessionGrain));

        Assert.Equal("ot.SessionGrain", id.ToString());
        Assert.Equal(id, renamed.GetGrainInterfaceType(typeof(IRenamedSessionGrain)));
    }

    [Theory]
    [InlineData(nameof(ISessionGrain.AttachTabAsync), "AttachTab", nameof(IRenamedSessionGrain.AttachAsync))]
    [InlineData(nameof(ISessionGrain.StartAsync), "Start", nameof(IRenamedSessionGrain.BeginAsync))]
    [InlineData(nameof(ISessionGrain.StartAsync), "StartUser", nameof(IRenamedSessionGrain.BeginAsync))]
    public void TodaysMethodIdsCallTheRenamedMethods(string method, string alias, string renamedMethod)
    {
        // A call travels as its invokable's type name; today's build writes it, the renamed build resolves it.
        var name = Today().GetRequiredService<TypeConverter>().Format(Invokable(typeof(ISessionGrain), alias));
        Assert.Equal($"(\"inv\",[GrainRef],[ot.SessionGrain],\"{alias}\")", name);

        var resolved = Renamed().GetRequiredService<TypeConverter>().Parse(name);

        Assert.Equal(Invokable(typeof(IRenamedSessionGrain), alias), resolved);
        Assert.Contains(typeof(ISessionGrain).GetMethods(), m => m.Name == method && AliasOf(m) == alias);
        Assert.Contains(typeof(IRenamedSessionGrain).GetMethods(), m => m.Name == renamedMethod && AliasOf(m) == alias);
    }

    /// <summary>The generated invokable of the interface's method with the alias (Orleans names it by that alias).</summary>
    private static Type Invokable(Type grainInterface, string methodAlias) =>
        Assert.Single(
            typeof(ISessionGrain).Assembly.GetTypes().Concat(typeof(RollingUpgradeTests).Assembly.GetTypes()),
            t => t.GetCustomAttributes(typeof(CompoundTypeAliasAttribute), false).Cast<CompoundTypeAliasAttribute>()
                .Any(a => a.Components.Contains(grainInterface) && Equals(a.Components[^1], methodAlias)));

    private static string? AliasOf(System.Reflection.MemberInfo member) =>
        member.GetCustomAttributes(typeof(AliasAttribute), false).Cast<AliasAttribute>().SingleOrDefault()?.Alias;

    private static void AssertSameSession(SessionState expected, RenamedSessionState read)
    {
        Assert.Equal(expected.User, read.Subject);
        Assert.Equal(expected.CreatedAt, read.Created);
        Assert.Equal(expected.LastSeenAt, read.LastSeen);
        Assert.Equal(expected.Revoked, read.Ended);
        Assert.Equivalent(expected.Tabs, read.AttachedTabs, strict: true);
        Assert.Equivalent(expected.Pending, read.Waiting, strict: true);
        Assert.Equal(expected.Name, read.DisplayName);
        Assert.Equal(expected.Claims, read.KeptClaims);
        Assert.Equal(expected.ClaimsExpireAt, read.KeptClaimsExpireAt);
        Assert.Equal(expected.ServerRooms, read.JoinedByServer);
    }

    private static BinaryData Bytes(string base64) => new(Convert.FromBase64String(base64));

    private static StateSerializer Storage(IServiceProvider services) =>
        new(services.GetRequiredService<Serializer>(), new NoJson());

    private static ServiceProvider Today() => new ServiceCollection().AddSerializer().BuildServiceProvider();

    /// <summary>
    /// A process of the later build: the aliases name the renamed types, as the generated manifest of a build whose
    /// renamed types carry <c>[Alias("ot.SessionState")]</c> and <c>[Alias("ot.SessionGrain")]</c> does.
    /// </summary>
    private static ServiceProvider Renamed() => new ServiceCollection()
        .AddSerializer()
        .Configure<TypeManifestOptions>(o =>
        {
            o.WellKnownTypeAliases["ot.SessionState"] = typeof(RenamedSessionState);
            o.WellKnownTypeAliases["ot.SessionGrain"] = typeof(IRenamedSessionGrain);
        })
        .BuildServiceProvider();

    /// <summary>The older JSON format's reader, which binary state never reaches.</summary>
    private sealed class NoJson : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => throw new InvalidOperationException("State is written in the binary format.");

        public T? Deserialize<T>(BinaryData input) => throw new InvalidOperationException("Binary state was read as JSON.");
    }
}
