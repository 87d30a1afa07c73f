using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansTabs.Tests.Browser;

/// <summary>
/// One browser test's contexts (each a signed-in browser profile) and their pages; on failure it saves a screenshot
/// of every open page to <c>bin/.../browser-artifacts/&lt;test&gt;[-n].png</c>.
/// </summary>
public sealed class BrowserScenario(IBrowser browser, Uri server, [CallerMemberName] string name = "") : IAsyncDisposable
{
    /// <summary>
    /// Keeps the tab id the page found in sessionStorage before its scripts ran (<c>window.__initialTabId</c>) and
    /// records every <c>message</c> event the client library hands to the page (after its de-duplication), in
    /// <c>window.__delivered</c>, and the code of every <c>close</c> event, in <c>window.__closes</c>, from the first
    /// script of each page load.
    /// </summary>
    private const string RecorderScript = """
        window.__initialTabId = sessionStorage.getItem('orleanstabs.tab');
        // Focus under the test's control (every headless page would say it has focus): see BrowserTab.SetFocusAsync.
        window.__focus = false;
        document.hasFocus = () => window.__focus;
        window.__delivered = [];
        window.__closes = [];
        const dispatch = EventTarget.prototype.dispatchEvent;
        EventTarget.prototype.dispatchEvent = function (e) {
          if (e instanceof CustomEvent && e.type === 'message' && e.detail && e.detail.type === 'message') {
            window.__delivered.push({ room: e.detail.room ?? null, text: e.detail.text ?? null, offset: e.detail.offset });
          } else if (e instanceof CustomEvent && e.type === 'close' && e.detail && Number.isInteger(e.detail.code)) {
            window.__closes.push(e.detail.code);
          }
          return dispatch.call(this, e);
        };
        """;

    private readonly List<IBrowserContext> _contexts = [];

    public static string ArtifactsDirectory => Path.Combine(AppContext.BaseDirectory, "browser-artifacts");

    public Uri Server { get; } = server;

    /// <summary>A fresh browser profile, not signed in.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await browser.NewContextAsync(new() { BaseURL = Server.ToString() });
        _contexts.Add(context);
        await context.AddInitScriptAsync(RecorderScript);
        return context;
    }

    /// <summary>A fresh browser profile signed in (development sign-in) as <paramref name="user"/>.</summary>
    public async Task<IBrowserContext> SignInAsync(string? user = null)
    {
        var context = await NewContextAsync();
        var response = await context.APIRequest.PostAsync("/auth/login", new() { DataObject = new { user = user ?? "b-" + Guid.NewGuid().ToString("N")[..8] } });
        Assert.True(response.Ok, $"sign-in answered {response.Status}");
        return context;
    }

    /// <summary>A new page (a browser tab) of <paramref name="context"/> at <paramref name="path"/>, connected.</summary>
    public static async Task<BrowserTab> OpenAsync(IBrowserContext context, string path = "/chat.html")
    {
        var tab = new BrowserTab(await context.NewPageAsync());
        await tab.GotoAsync(path);
        return tab;
    }

    /// <summary>Runs a scenario's body; when it fails, screenshots every page, then rethrows.</summary>
    public async Task RunAsync(Func<Task> body)
    {
        try
        {
            await body();
        }
        catch
        {
            await ScreenshotAllAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
    }

    private async Task ScreenshotAllAsync()
    {
        Directory.CreateDirectory(ArtifactsDirectory);
        var pages = _contexts.SelectMany(c => c.Pages).Where(p => !p.IsClosed).ToList();
        for (var i = 0; i < pages.Count; i++)
        {
            var file = Path.Combine(ArtifactsDirectory, i == 0 ? $"{name}.png" : $"{name}-{i}.png");
            try
            {
                await pages[i].ScreenshotAsync(new() { Path = file, FullPage = true, Timeout = 5000 });
            }
            catch (PlaywrightException)
            {
                // a page that cannot be captured must not hide the test's own failure
            }
        }
    }
}

/// <summary>One page of the demo app (chat.html or dashboard.html) and the WebSockets it opened.</summary>
public sealed partial class BrowserTab
{
    private readonly ConcurrentQueue<IWebSocket> _sockets = new();
    private readonly ConcurrentDictionary<IWebSocket, ConcurrentQueue<string>> _sent = new();

    public BrowserTab(IPage page)
    {
        Page = page;
        page.WebSocket += (_, socket) =>
        {
            var sent = _sent.GetOrAdd(socket, _ => new());
            socket.FrameSent += (_, frame) => sent.Enqueue(frame.Text ?? "<binary>");
            _sockets.Enqueue(socket);
        };
    }

    public IPage Page { get; }

    /// <summary>Every WebSocket the page opened so far, across its navigations, oldest first.</summary>
    public IReadOnlyList<IWebSocket> Sockets => [.. _sockets];

    /// <summary>The payloads the page sent on <paramref name="socket"/>, in order.</summary>
    public IReadOnlyList<string> SentOn(IWebSocket socket) => [.. _sent.GetOrAdd(socket, _ => new())];

    /// <summary>The <c>type</c> of each frame the page sent on <paramref name="socket"/>.</summary>
    public IReadOnlyList<string> SentTypesOn(IWebSocket socket) =>
        [.. SentOn(socket).Select(TypeOf)];

    /// <summary><c>GET /auth/me</c> fetched by the page (with its cookie); null when it answers 401.</summary>
    public async Task<JsonElement?> MeAsync()
    {
        var me = await Page.EvaluateAsync<JsonElement?>("fetch('/auth/me').then(r => r.status === 200 ? r.json() : null)");
        return me is { ValueKind: JsonValueKind.Object } ? me : null;
    }

    public ILocator State => Page.Locator("#state");

    public ILocator Log => Page.Locator("#log li .text");

    public Task<string> TabIdAsync() => Page.Locator("#tab-id").InnerTextAsync();

    /// <summary>Navigates (in this tab) to <paramref name="path"/> and waits until its connection is open.</summary>
    public async Task GotoAsync(string path)
    {
        await Page.GotoAsync(path);
        await ExpectOpenAsync();
    }

    public Task ExpectOpenAsync() => Expect(State).ToHaveTextAsync("open");

    /// <summary>Joins <paramref name="room"/> with the page's form and waits until it is the current room.</summary>
    public async Task JoinAsync(string room)
    {
        await Page.Locator("#room-input").FillAsync(room);
        await Page.Locator("#join").ClickAsync();
        await Expect(Page.Locator("#current-room")).ToHaveTextAsync(room);
        await Expect(Page.Locator("#send")).ToBeEnabledAsync();
    }

    /// <summary>Sends <paramref name="text"/> to the current room and waits for the server's ack (shown on the line).</summary>
    public async Task SendAsync(string text)
    {
        await Page.Locator("#message-input").FillAsync(text);
        await Page.Locator("#send").ClickAsync();
        await Expect(Page.Locator("#log li[data-delivery='acked']").Filter(new() { HasText = text })).ToHaveCountAsync(1);
    }

    /// <summary>The current room's log shows exactly <paramref name="texts"/>, in this order.</summary>
    public Task ExpectLogAsync(params string[] texts) => Expect(Log).ToHaveTextAsync(texts);

    /// <summary>The texts of the <c>message</c> events the client library delivered for <paramref name="room"/> on this page load.</summary>
    public Task<string[]> DeliveredAsync(string room) =>
        Page.EvaluateAsync<string[]>("room => window.__delivered.filter(m => m.room === room).map(m => m.text)", room);

    /// <summary>Gives the page focus or takes it away, as the window's focus and blur events do.</summary>
    public Task SetFocusAsync(bool focused) =>
        Page.EvaluateAsync("f => { window.__focus = f; window.dispatchEvent(new Event(f ? 'focus' : 'blur')); }", focused);

    /// <summary>The close codes the client library reported on this page load, oldest first.</summary>
    public Task<int[]> ClosesAsync() => Page.EvaluateAsync<int[]>("window.__closes");

    /// <summary>The page shows the signed-out state after a close with 4501.</summary>
    public async Task ExpectSignedOutAsync()
    {
        await Expect(Page.Locator("#status")).ToContainTextAsync(SignedOut());
        await Expect(State).ToHaveTextAsync("signed-out");
        await Expect(Page.Locator("#last-close")).ToHaveTextAsync(Close4501());
    }

    /// <summary>Fails if the page opens another WebSocket within <paramref name="within"/>.</summary>
    public async Task ExpectNoNewSocketAsync(TimeSpan within)
    {
        var before = Sockets.Count;
        try
        {
            var socket = await Page.WaitForWebSocketAsync(new() { Timeout = (float)within.TotalMilliseconds });
            Assert.Fail($"the page opened another WebSocket: {socket.Url}");
        }
        catch (TimeoutException)
        {
            // nothing opened: as expected
        }

        Assert.Equal(before, Sockets.Count);
    }

    private static string TypeOf(string frame)
    {
        using var document = JsonDocument.Parse(frame);
        return document.RootElement.GetProperty("type").GetString() ?? "";
    }

    [GeneratedRegex("signed out", RegexOptions.IgnoreCase)]
    private static partial Regex SignedOut();

    [GeneratedRegex("^4501")]
    private static partial Regex Close4501();
}
