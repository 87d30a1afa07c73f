using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansTabs.AspNetCore.Hooks;

namespace OrleansTabs.Tests.Hosting;

/// <summary>How the application's hooks are added and what is refused at start-up.</summary>
public sealed class HookRegistrationTests
{
    [Fact]
    public void TwoHandlersOfOneMethodFailNamingTheMethod()
    {
        var services = new ServiceCollection();
        services.AddOrleansTabs().AddCallHandler("tickets.open", Nothing).AddCallHandler("tickets.open", Nothing);

        var error = Assert.Throws<InvalidOperationException>(() => Hooks(services));

        Assert.Contains("'tickets.open'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHandlerWhoseMethodNoCallCanNameFails()
    {
        var services = new ServiceCollection();
        services.AddOrleansTabs().AddCallHandler("has space", Nothing);

        var error = Assert.Throws<InvalidOperationException>(() => Hooks(services));

        Assert.Contains("'has space'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASecondAuthorizerFailsNamingTheFirst()
    {
        var tabs = new ServiceCollection().AddOrleansTabs().AddAuthorizer<AllowAll>();

        var error = Assert.Throws<InvalidOperationException>(() => tabs.AddAuthorizer(new AllowAll()));

        Assert.Contains(typeof(AllowAll).FullName!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HandlersAreResolvedFromTheHostsServicesOncePerType()
    {
        var services = new ServiceCollection();
        services.AddSingleton<Counter>();
        services.AddOrleansTabs().AddAuthorizer<AllowAll>().AddCallHandler<Counted>().AddCallHandler<Counted>().AddCallHandler("other", Nothing);

        var hooks = Hooks(services);

        Assert.IsType<AllowAll>(hooks.Authorizer);
        Assert.IsType<Counted>(hooks.Handler("counted"));
        Assert.NotNull(hooks.Handler("other"));
        Assert.Null(hooks.Handler("missing"));
    }

    [Fact]
    public async Task TheDefaultRulesAllowEverything()
    {
        ITabsAuthorizer authorizer = new AllowAll();
        var tab = new TabContext("u", "s", "t", "chat", []);
        Assert.True((await authorizer.AuthorizeConnectAsync(tab, default)).IsAllowed);
        Assert.True((await authorizer.AuthorizeJoinAsync(tab, "r", default)).IsAllowed);
        Assert.True((await authorizer.AuthorizeSendAsync(tab, "r", default)).IsAllowed);
        Assert.Equal("no", TabsDecision.Deny("no").Message);
        Assert.False(TabsDecision.Deny().IsAllowed);
    }

    private static TabHooks Hooks(IServiceCollection services)
    {
        using var provider = services.BuildServiceProvider();
        return new TabHooks(provider.GetServices<ITabsAuthorizer>(), provider.GetServices<ITabCallHandler>());
    }

    private static ValueTask<object?> Nothing(TabContext tab, JsonElement args, CancellationToken cancellationToken) => ValueTask.FromResult<object?>(null);

    private sealed class AllowAll : ITabsAuthorizer;

    private sealed class Counter;

    private sealed class Counted(Counter counter) : ITabCallHandler
    {
        public string Method => "counted";

        public ValueTask<object?> HandleAsync(TabContext tab, JsonElement args, CancellationToken cancellationToken) => ValueTask.FromResult<object?>(counter.GetHashCode());
    }
}
