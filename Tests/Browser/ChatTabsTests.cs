using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansTabs.Tests.Browser;

/// <summary>The chat demo page in real browser tabs: tab identity, fan-out, reload, navigation, offline.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ChatTabsTests(BrowserFixture fixture)
{
    private static string NewRoom() => "r-" + Guid.NewGuid().ToString("N")[..12];

    [BrowserFact]
    public async Task ThreeTabsGetDistinctIdsAndEachMessageOnce()
    {
        await using var scenario = new BrowserScenario(fixture.Browser, fixture.Server);
        await scenario.RunAsync(async () =>
        {
            var context = await scenario.SignInAsync();
            var tabs = new List<BrowserTab>();
            for (var i = 0; i < 3; i++)
            {
                tabs.Add(await BrowserScenario.OpenAsync(context));
            }

            var ids = await Task.WhenAll(tabs.Select(t => t.TabIdAsync()));
            Assert.Equal(3, ids.Distinct().Count());
            var room = NewRoom();
            foreach (var tab in tabs)
            {
                await tab.JoinAsync(room);
            }

            await tabs[0].SendAsync("hello from tab 1");
            await tabs[1].ExpectLogAsync("hello from tab 1");
            await tabs[2].ExpectLogAsync("hello from tab 1");

            // A second message is a barrier: once it is shown, a repeat of the first would have been delivered too.
            await tabs[0].SendAsync("barrier");
            foreach (var tab in tabs)
            {
                await tab.ExpectLogAsync("hello from tab 1", "barrier");
                await tab.ExpectOpenAsync();
            }

            Assert.Equal(["hello from tab 1", "barrier"], await tabs[1].DeliveredAsync(room));
            Assert.Equal(["hello from tab 1", "barrier"], await tabs[2].DeliveredAsync(room));
        });
    }

    [BrowserFact]
    public async Task ADuplicatedTabGetsAFreshIdAndTheOriginalKeepsItsOwn()
    {
        await using var scenario = new BrowserScenario(fixture.Browser, fixture.Server);
        await scenario.RunAsync(async () =>
        {
            var context = await scenario.SignInAsync();
            var original = await BrowserScenario.OpenAsync(context);
            var originalId = await original.TabIdAsync();

            var popup = await original.Page.RunAndWaitForPopupAsync(() => original.Page.EvaluateAsync("window.open(location.href)"));
            var duplicate = new BrowserTab(popup);
            await duplicate.ExpectOpenAsync();
            Assert.Equal(originalId, await popup.EvaluateAsync<string>("window.__initialTabId")); // sessionStorage was copied
            var duplicateId = await duplicate.TabIdAsync();
            Assert.NotEqual(originalId, duplicateId);
            Assert.Equal(duplicateId, await popup.EvaluateAsync<string>("sessionStorage.getItem('orleanstabs.tab')"));

            // Both work, and the original was never disturbed.
            var room = NewRoom();
            await original.JoinAsync(room);
            await duplicate.JoinAsync(room);
            await duplicate.SendAsync("from the duplicate");
            await original.ExpectLogAsync("from the duplicate");
            Assert.Equal(originalId, await original.TabIdAsync());
            await original.ExpectOpenAsync();
            Assert.Single(original.Sockets);
            Assert.Equal(originalId, await original.Page.EvaluateAsync<string>("sessionStorage.getItem('orleanstabs.tab')"));
        });
    }

    [BrowserFact]
    public async Task AReloadedTabKeepsItsIdAndGetsTheMessageSentDuringTheReloadOnce()
    {
        await using var scenario = new BrowserScenario(fixture.Browser, fixture.Server);
        await scenario.RunAsync(async () =>
        {
            var context = await scenario.SignInAsync();
            var tab = await BrowserScenario.OpenAsync(context);
            var other = await BrowserScenario.OpenAsync(context);
            var room = NewRoom();
            await tab.JoinAsync(room);
            await other.JoinAsync(room);
            await other.SendAsync("before the reload");
            await tab.ExpectLogAsync("before the reload");
            var tabId = await tab.TabIdAsync();

            // Hold the reloaded page's script: the old page (and its socket) is gone, the new one not connected yet.
            var held = new TaskCompletionSource<IRoute>(TaskCreationOptions.RunContinuationsAsynchronously);
            await tab.Page.RouteAsync("**/js/chat.js", route =>
            {
                held.TrySetResult(route);
                return Task.CompletedTask;
            });
            var reload = tab.Page.ReloadAsync();
            var script = await held.Task.WaitAsync(Infrastructure.Deadline.Default);
            await other.SendAsync("during the reload");
            await script.ContinueAsync();
            await tab.Page.UnrouteAllAsync();
            await reload;

            await tab.ExpectOpenAsync();
            Assert.Equal(tabId, await tab.TabIdAsync());
            await other.SendAsync("after the reload");
            await tab.ExpectLogAsync("before the reload", "during the reload", "after the reload");
            Assert.Equal(2, tab.Sockets.Count);
            Assert.Equal("resume", tab.SentTypesOn(tab.Sockets[1])[0]);

            // The resume replayed what the old page had not seen, once, and nothing it had seen.
            Assert.Equal(["during the reload", "after the reload"], await tab.DeliveredAsync(room));
        });
    }

    [BrowserFact]
    public async Task ChatThenDashboardThenChatUseTheirRoutesAndTheDashboardSendsNoData()
    {
        await using var scenario = new BrowserScenario(fixture.Browser, fixture.Server);
        await scenario.RunAsync(async () =>
        {
            var context = await scenario.SignInAsync();
            var tab = await BrowserScenario.OpenAsync(context);
            var tabId = await tab.TabIdAsync();
            await tab.JoinAsync(NewRoom());

            await tab.GotoAsync("/dashboard.html");
            Assert.Equal(tabId, await tab.TabIdAsync());
            await Expect(tab.Page.Locator("#snapshot-ts")).Not.ToHaveTextAsync("–");
            var dashboard = tab.Sockets[^1];
            await Infrastructure.Deadline.UntilAsync(() => tab.SentTypesOn(dashboard).Contains("ping"), "the dashboard pinged");

            await tab.GotoAsync("/chat.html");
            Assert.Equal(tabId, await tab.TabIdAsync());

            var paths = tab.Sockets.Select(s => new Uri(s.Url).AbsolutePath).ToArray();
            Assert.Equal(["/ws/chat", "/ws/dashboard", "/ws/chat"], paths);
            Assert.Contains("join", tab.SentTypesOn(tab.Sockets[0]));
            // Push only: beside the stream frames, the dashboard reports only its page state (docs/protocol.md 6.1).
            Assert.Contains("state", tab.SentTypesOn(dashboard));
            Assert.All(tab.SentTypesOn(dashboard), type => Assert.Contains(type, new[] { "ping", "resume", "ack", "state" }));
        });
    }

    [BrowserFact]
    public async Task AnOfflineTabResumesWithEveryMessageOnceInOrder()
    {
        await using var scenario = new BrowserScenario(fixture.Browser, fixture.Server);
        await scenario.RunAsync(async () =>
        {
            var context = await scenario.SignInAsync();
            var tab = await BrowserScenario.OpenAsync(context);
            var sender = await BrowserScenario.OpenAsync(await scenario.SignInAsync());
            var room = NewRoom();
            await tab.JoinAsync(room);
            await sender.JoinAsync(room);
            await sender.SendAsync("m0");
            await tab.ExpectLogAsync("m0");
            var tabId = await tab.TabIdAsync();

            // Chromium keeps the socket open but silent: frames in both directions are lost, the close too.
            await context.SetOfflineAsync(true);
            await sender.SendAsync("m1");
            await sender.SendAsync("m2");
            await Expect(tab.State).ToHaveTextAsync("reconnecting"); // the client noticed the unanswered ping (4008)...
            Assert.Equal(4008, (await tab.ClosesAsync())[0]); // ...and dropped the silent socket
            await sender.SendAsync("m3");

            // The server drops the silent socket too (4008 after 2 heartbeats); reconnects fail while offline.
            using var http = await HttpWithCookiesAsync(context);
            await Infrastructure.Deadline.UntilAsync(async () => !await IsConnectedAsync(http, tabId), "the server dropped the silent socket");
            await sender.SendAsync("m4");
            await Infrastructure.Deadline.UntilAsync(() => tab.Sockets.Count >= 3, "the tab retried twice while offline");
            await sender.SendAsync("m5");
            await Expect(tab.State).ToHaveTextAsync("reconnecting");

            // Back online: the client reconnects at once (not after its grown backoff) and resumes.
            await context.SetOfflineAsync(false);
            await Expect(tab.State).ToHaveTextAsync("open", new() { Timeout = 5000 });
            Assert.Equal(tabId, await tab.TabIdAsync());
            await sender.SendAsync("m6");
            await tab.ExpectLogAsync("m0", "m1", "m2", "m3", "m4", "m5", "m6");
            Assert.Equal(["m0", "m1", "m2", "m3", "m4", "m5", "m6"], await tab.DeliveredAsync(room));
            Assert.Equal("resume", tab.SentTypesOn(tab.Sockets[^1])[0]);
        });
    }

    /// <summary>An HTTP client with the browser context's cookies (it works while the browser is offline).</summary>
    private async Task<HttpClient> HttpWithCookiesAsync(IBrowserContext context)
    {
        var cookies = new CookieContainer();
        foreach (var cookie in await context.CookiesAsync())
        {
            cookies.Add(fixture.Server, new System.Net.Cookie(cookie.Name, cookie.Value, "/"));
        }

        return new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = fixture.Server };
    }

    private static async Task<bool> IsConnectedAsync(HttpClient http, string tabId)
    {
        var me = await http.GetFromJsonAsync<JsonElement>("/auth/me");
        return me.GetProperty("tabs").EnumerateArray().Any(t => t.GetProperty("tab").GetString() == tabId && t.GetProperty("connected").GetBoolean());
    }
}
