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
}
