using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansTabs.Tests.Infrastructure;

/// <summary>
/// An all-in-one front-end with the application's hooks of <see cref="TestAuthorizer"/> and the call handlers below, the
/// <c>team</c> claim carried with sessions, and 24 calls in flight per socket.
/// </summary>
public sealed class HooksFixture : IAsyncLifetime
{
    public const int MaxCallsInFlight = 24;

    public RunningWeb Web { get; private set; } = null!;

    public Uri Server => Web.Address;

    public TestAuthorizer Authorizer => (TestAuthorizer)Web.Service<ITabsAuthorizer>();

    public CallProbe Probe => Web.Service<CallProbe>();

    public async Task InitializeAsync()
    {
        var serviceId = TestRedis.NewServiceId("hooks");
        Web = await TestHosts.StartWebAsync("AllInOne", TestHosts.Settings(serviceId, serviceId, new Dictionary<string, string?>
        {
            ["OrleansTabs:Sockets:MaxCallsInFlight"] = MaxCallsInFlight.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OrleansTabs:Sockets:ResumeWindow"] = "00:00:00.200",
        }), configure: services =>
        {
            services.AddSingleton<CallProbe>();
            services.AddOrleansTabs(o => o.CarriedClaims.Add("team"))
                .AddAuthorizer<TestAuthorizer>()
                .AddCallHandler<WhoAmI>()
                .AddCallHandler(sp => new GatedCall(sp.GetRequiredService<CallProbe>()))
                .AddCallHandler("delay", async (_, args, ct) =>
                {
                    await Task.Delay(args.GetProperty("ms").GetInt32(), ct);
                    return args.GetProperty("n").GetInt32();
                })
                .AddCallHandler("nothing", (_, _, _) => ValueTask.FromResult<object?>(null))
                .AddCallHandler("big", (_, _, _) => ValueTask.FromResult<object?>(new string('x', 70_000)))
                .AddCallHandler("tickets.close", (_, _, _) => throw new TabCallException("ticket_closed", "The ticket is closed."))
                .AddCallHandler("bad.code", (_, _, _) => throw new TabCallException("Not-A-Code", "Refused."))
                .AddCallHandler("crash", (_, _, _) => throw new InvalidOperationException("The handler broke."));
        });
    }

    public async Task DisposeAsync() => await Web.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class HooksCollection : ICollectionFixture<HooksFixture>
{
    public const string Name = "hooks";
}

/// <summary>
/// Rules by name, so tests choose the answer with the data: a user named <c>banned-*</c> may not connect and one named
/// <c>crash-*</c> fails the connect's rule; rooms
/// <c>locked-*</c> may not be joined and <c>boom-*</c> fail the join; rooms <c>readonly-*</c> may not be sent to and
/// <c>sendboom-*</c> fail the send; a send to <c>slow-{key}</c> waits for the probe's gate of that key. Every join
/// question is counted per session and room.
/// </summary>
public sealed class TestAuthorizer(CallProbe probe) : ITabsAuthorizer
{
    private readonly ConcurrentDictionary<(string Session, string Room), int> _joinsAsked = new();

    /// <summary>The last context each session's connect was asked with.</summary>
    public ConcurrentDictionary<string, TabContext> Connects { get; } = new();

    public int JoinsAsked(string session, string room) => _joinsAsked.GetValueOrDefault((session, room));

    public ValueTask<TabsDecision> AuthorizeConnectAsync(TabContext tab, CancellationToken cancellationToken)
    {
        Connects[tab.Session] = tab;
        if (tab.User.StartsWith("crash-", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The connect rule broke.");
        }

        return tab.User.StartsWith("banned-", StringComparison.Ordinal)
            ? ValueTask.FromResult(TabsDecision.Deny("Banned users may not connect."))
            : TabsDecision.AllowAsync;
    }

    public ValueTask<TabsDecision> AuthorizeJoinAsync(TabContext tab, string room, CancellationToken cancellationToken)
    {
        _joinsAsked.AddOrUpdate((tab.Session, room), 1, (_, n) => n + 1);
        if (room.StartsWith("boom-", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The join rule broke.");
        }

        return room.StartsWith("locked-", StringComparison.Ordinal)
            ? ValueTask.FromResult(TabsDecision.Deny("The room is locked."))
            : TabsDecision.AllowAsync;
    }

    public async ValueTask<TabsDecision> AuthorizeSendAsync(TabContext tab, string room, CancellationToken cancellationToken)
    {
        // Not completed synchronously: the pipelined sends behind it must still be answered in order.
        await Task.Yield();
        if (room.StartsWith("slow-", StringComparison.Ordinal))
        {
            await probe.Gate(room["slow-".Length..]).Task.WaitAsync(cancellationToken);
        }

        if (room.StartsWith("sendboom-", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The send rule broke.");
        }

        return room.StartsWith("readonly-", StringComparison.Ordinal) ? TabsDecision.Deny("The room is read-only.") : TabsDecision.Allow;
    }
}

/// <summary>What the call handlers saw: gates that calls wait on, the calls made, and the calls whose token was cancelled.</summary>
public sealed class CallProbe
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();

    public ConcurrentDictionary<string, int> Started { get; } = new();

    public ConcurrentDictionary<string, TaskCompletionSource> Cancelled { get; } = new();

    public TaskCompletionSource Gate(string key) => _gates.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public TaskCompletionSource CancelledOf(string key) => Cancelled.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary><c>whoami</c>: the tab's context and the call's args, echoed.</summary>
public sealed class WhoAmI : ITabCallHandler
{
    public string Method => "whoami";

    public ValueTask<object?> HandleAsync(TabContext tab, JsonElement args, CancellationToken cancellationToken) =>
        ValueTask.FromResult<object?>(new
        {
            tab.User,
            tab.Session,
            tab.Tab,
            tab.Channel,
            Team = tab.FindClaim("team"),
            Claims = tab.Claims.Select(c => new { c.Type, c.Value }),
            Args = args.ValueKind == JsonValueKind.Undefined ? (JsonElement?)null : args,
        });
}

/// <summary><c>gate</c>: waits until the test opens the gate named by <c>args.key</c>, or the socket ends.</summary>
public sealed class GatedCall(CallProbe probe) : ITabCallHandler
{
    public string Method => "gate";

    public async ValueTask<object?> HandleAsync(TabContext tab, JsonElement args, CancellationToken cancellationToken)
    {
        var key = args.GetProperty("key").GetString()!;
        probe.Started.AddOrUpdate(key, 1, (_, n) => n + 1);
        try
        {
            await probe.Gate(key).Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            probe.CancelledOf(key).TrySetResult();
            throw;
        }

        return key;
    }
}
