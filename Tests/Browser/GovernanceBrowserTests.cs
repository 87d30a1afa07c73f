using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansTabs.Tests.Browser;

/// <summary>docs/protocol.md section 6 in Chromium with the bundled client and the demo pages: presence, focus, sign out everywhere.</summary>
[Collection(BrowserCollection.Name)]
public sealed class GovernanceBrowserTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task TheChatShowsWhoIsInTheRoomWithEachTabAndFollowsFocusAndDepartures()
    {
        await using var scenario = new BrowserScenario(fixture.Browser, fixture.Server);
        await scenario.RunAsync(async () =>
        {
            var room = "presence-" + Guid.NewGuid().ToString("N")[..8];
            var ann = await scenario.SignInAsync("ann-" + Guid.NewGuid().ToString("N")[..6]);
            var bob = await scenario.SignInAsync("bob-" + Guid.NewGuid().ToString("N")[..6]);
            var a1 = await BrowserScenario.OpenAsync(ann);
            var a2 = await BrowserScenario.OpenAsync(ann);
            var b1 = await BrowserScenario.OpenAsync(bob);
            foreach (var tab in new[] { a1, a2, b1 })
            {
                await tab.JoinAsync(room);
            }

            // Two users, three tabs, on every page.
            foreach (var tab in new[] { a1, a2, b1 })
            {
                await Expect(tab.Page.Locator("#presence li")).ToHaveCountAsync(2);
                await Expect(tab.Page.Locator("#presence .presence-tab")).ToHaveCountAsync(3);
            }

            // Bob's tab takes focus, then loses it: Ann's page follows.
            var bobsTab = a1.Page.Locator($"#presence .presence-tab[data-tab='{await b1.TabIdAsync()}']");
            await Expect(bobsTab).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("focused"));
            await b1.SetFocusAsync(true);
            await Expect(bobsTab).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("focused"));
            await b1.SetFocusAsync(false);
            await Expect(bobsTab).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("focused"));

            // Ann closes one of her tabs: it leaves; Bob closes his only tab: he is gone.
            var a2Id = await a2.TabIdAsync();
            await a2.Page.CloseAsync();
            await Expect(b1.Page.Locator($"#presence .presence-tab[data-tab='{a2Id}']")).ToHaveCountAsync(0);
            await Expect(b1.Page.Locator("#presence .presence-tab")).ToHaveCountAsync(2);
            await b1.Page.CloseAsync();
            await Expect(a1.Page.Locator("#presence li")).ToHaveCountAsync(1);
        });
    }

    [BrowserFact]
    public async Task SignOutEverywhereSignsOutTheTabsOfEveryDevice()
    {
        await using var scenario = new BrowserScenario(fixture.Browser, fixture.Server);
        await scenario.RunAsync(async () =>
        {
            var user = "everywhere-" + Guid.NewGuid().ToString("N")[..6];
            var laptop = await BrowserScenario.OpenAsync(await scenario.SignInAsync(user));
            var phone = await BrowserScenario.OpenAsync(await scenario.SignInAsync(user));
            var other = await BrowserScenario.OpenAsync(await scenario.SignInAsync());

            await laptop.Page.Locator("#signout-everywhere").ClickAsync();

            foreach (var tab in new[] { laptop, phone })
            {
                await tab.ExpectSignedOutAsync();
                var closes = await tab.ClosesAsync();
                Assert.Equal([4501], closes);
            }

            Assert.Null(await phone.MeAsync());
            await Expect(other.State).ToHaveTextAsync("open");
            Assert.NotNull(await other.MeAsync());
        });
    }
}
