using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using OrleansTabs.Tests.EndToEnd;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.AppHost;

/// <summary>
/// An application built on the public API only (<see cref="TeamApp"/>), seen by real sockets: its sign-in, its rules,
/// its calls, its grain and its endpoint. Each topology runs every test (<see cref="AllInOneAppHostTests"/>,
/// <see cref="SplitAppHostTests"/>).
/// </summary>
public abstract class AppHostTests(AppHostFixture fixture)
{
    [Fact]
    public async Task SignInByTheAppsBearerTokenWelcomesTheSubjectWithItsName()
    {
        var sub = "sub-" + TabClient.NewId();
        using var session = await TestSession.SignInWithTokenAsync(fixture.Server, AppBearer.Token(sub, "Ann Lee", NewTeam()));
        Assert.Equal(sub, session.User);

        var (tab, welcome) = await session.OpenAsync("chat");
        await using (tab)
        {
            Assert.Equal(sub, welcome.GetProperty("user").GetString());
            Assert.Equal("Ann Lee", welcome.GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task AddingOrleansTabsKeepsTheAppsDefaultSchemeAndAddsItsOwnBeside()
    {
        var schemes = fixture.Web.Service<IAuthenticationSchemeProvider>();
        Assert.Equal(AppBearer.Scheme, (await schemes.GetDefaultAuthenticateSchemeAsync())?.Name);
        Assert.Equal(AppBearer.Scheme, (await schemes.GetDefaultChallengeSchemeAsync())?.Name);
        Assert.Equal("OrleansTabs.Session", OrleansTabsDefaults.AuthenticationScheme);
        Assert.NotNull(await schemes.GetSchemeAsync(OrleansTabsDefaults.AuthenticationScheme));
    }

    [Fact]
    public async Task AConnectWithoutATeamIsForbiddenBeforeTheUpgrade()
    {
        using var session = await TestSession.SignInWithTokenAsync(fixture.Server, AppBearer.Token("sub-" + TabClient.NewId(), "Loner", team: null));
        var tab = TabClient.NewId();

        using var response = await UpgradeProbe.SendAsync(fixture.Server, session.Cookies, $"/ws/chat?tab={tab}&instance={tab}&v=1");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("forbidden", problem.GetProperty("reason").GetString());
        Assert.Equal("Only members of a team may connect.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AJoinOfAnotherTeamsRoomIsForbiddenAndTheSocketStaysOpenForTheTeamsOwn()
    {
        var team = NewTeam();
        using var session = await SignInAsync(team);
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            await tab.SendAsync(new { type = "join", room = TeamRooms.RoomOf(NewTeam(), "general"), id = "j1" });
            var error = await tab.ExpectAsync("error");
            Assert.Equal("forbidden", error.GetProperty("code").GetString());
            Assert.Equal("That room belongs to another team.", error.GetProperty("message").GetString());
            Assert.Equal("j1", error.GetProperty("ref").GetString());

            var room = TeamRooms.RoomOf(team, "general");
            Assert.Equal(room, (await tab.JoinAsync(room)).GetProperty("room").GetString());
            await tab.SendChatAsync(room, "s1", "hello team");
        }
    }

    [Fact]
    public async Task TheAppsCallIsAnsweredWithItsResultOrWithTheAppsOwnErrorCode()
    {
        using var session = await SignInAsync(NewTeam());
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            await tab.SendAsync(new { type = "call", id = "c1", method = "text.upper", args = new { text = "hi there" } });
            var result = await tab.ExpectAsync("result");
            Assert.Equal("c1", result.GetProperty("ref").GetString());
            Assert.Equal("HI THERE", result.GetProperty("data").GetProperty("text").GetString());

            await tab.SendAsync(new { type = "call", id = "c2", method = "text.upper", args = new { text = 7 } });
            var error = await tab.ExpectAsync("error");
            Assert.Equal("c2", error.GetProperty("ref").GetString());
            Assert.Equal("bad_args", error.GetProperty("code").GetString());
            Assert.Equal("args.text must be a string.", error.GetProperty("message").GetString());

            await tab.SendAsync(new { type = "call", id = "c3", method = "team.announce", args = new { text = "" } });
            error = await tab.ExpectAsync("error");
            Assert.Equal("c3", error.GetProperty("ref").GetString());
            Assert.Equal("empty_announcement", error.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task TheAppsGrainPublishesIntoTheTeamsRoomForItsMembersAndItsHistory()
    {
        var team = NewTeam();
        using var session = await SignInAsync(team);
        var room = TeamGrain.NewsRoom(team);
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            await tab.JoinAsync(room);
            await tab.SendAsync(new { type = "call", id = "a1", method = "team.announce", args = new { text = "release at noon" } });
            var data = (await tab.ExpectAsync("result")).GetProperty("data");
            Assert.Equal(room, data.GetProperty("room").GetString());

            var message = Assert.Single(await tab.MessagesAsync("room:" + room, 1));
            Assert.Equal(data.GetProperty("offset").GetInt64(), message.Offset());
            Assert.True(message.GetProperty("from").GetProperty("server").GetBoolean());
            Assert.Equal("release at noon", message.GetProperty("payload").GetProperty("text").GetString());
            Assert.Equal(session.User, message.GetProperty("payload").GetProperty("by").GetString());

            var kept = Assert.Single(await fixture.Tabs.HistoryAsync(room));
            Assert.True(kept.FromServer);
            Assert.Equal(message.Offset(), kept.Offset);
            Assert.Equal("release at noon", kept.Payload!.Value.GetProperty("text").GetString());
        }
    }

    [Fact]
    public async Task TheAppsEndpointJoinsASessionToARoomForItsTabsNowAndLater()
    {
        var team = NewTeam();
        using var session = await SignInAsync(team);
        var room = TeamRooms.RoomOf(team, "oncall");
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            Assert.Equal(HttpStatusCode.Forbidden, await JoinSessionAsync(room, session.Handle, role: null));
            Assert.Equal(HttpStatusCode.NoContent, await JoinSessionAsync(room, session.Handle, AppBearer.AdminRole));

            var joined = await tab.ExpectAsync("joined");
            Assert.Equal(room, joined.GetProperty("room").GetString());
            Assert.Equal("server", joined.GetProperty("by").GetString());

            var (later, welcome) = await session.OpenAsync("chat");
            await using (later)
            {
                Assert.True(welcome.GetProperty("streams").TryGetProperty("room:" + room, out _), welcome.GetRawText());
            }
        }
    }

    [Fact]
    public async Task TheAppsEndpointJoinsTheCallersOwnSessionFoundByItsCookie()
    {
        var team = NewTeam();
        var token = AppBearer.Token("sub-" + TabClient.NewId(), "Member", team);
        using var session = await TestSession.SignInWithTokenAsync(fixture.Server, token);
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            Assert.Equal(HttpStatusCode.NoContent, await PostAsync(session.Http, "/app/me/rooms/standup", token));

            var joined = await tab.ExpectAsync("joined");
            Assert.Equal(TeamRooms.RoomOf(team, "standup"), joined.GetProperty("room").GetString());
            Assert.Equal("server", joined.GetProperty("by").GetString());
        }
    }

    [Fact]
    public async Task APushFromTheAppsGrainReachesEveryTabOfTheUser()
    {
        var (sub, team) = ("sub-" + TabClient.NewId(), NewTeam());
        using var first = await TestSession.SignInWithTokenAsync(fixture.Server, AppBearer.Token(sub, "Pat", team));
        using var second = await TestSession.SignInWithTokenAsync(fixture.Server, AppBearer.Token(sub, "Pat", team));
        var (a, _) = await first.OpenAsync("chat");
        var (b, _) = await first.OpenAsync("chat");
        var (c, _) = await second.OpenAsync("dashboard");
        await using (a)
        await using (b)
        await using (c)
        {
            var receipt = await fixture.Grains.GetGrain<ITeamGrain>(team).NotifyAsync(sub, "standup in 5");
            Assert.Equal(new PushReceipt(3, 0), receipt);
            foreach (var tab in new[] { a, b, c })
            {
                var message = await tab.ExpectAsync("message");
                Assert.Equal("tab", message.GetProperty("stream").GetString());
                Assert.Equal("standup in 5", message.GetProperty("payload").GetProperty("text").GetString());
                Assert.Equal(team, message.GetProperty("payload").GetProperty("team").GetString());
            }
        }
    }

    private static string NewTeam() => "team" + TabClient.NewId()[..8];

    private Task<TestSession> SignInAsync(string team) =>
        TestSession.SignInWithTokenAsync(fixture.Server, AppBearer.Token("sub-" + TabClient.NewId(), "Member", team));

    /// <summary>Calls the application's endpoint as an operator without a session, with a token of <paramref name="role"/>.</summary>
    private async Task<HttpStatusCode> JoinSessionAsync(string room, string session, string? role)
    {
        using var http = new HttpClient { BaseAddress = fixture.Server };
        var token = AppBearer.Token("sub-" + TabClient.NewId(), "Operator", team: null, role);
        return await PostAsync(http, $"/app/rooms/{room}/join-session/{Uri.EscapeDataString(session)}", token);
    }

    /// <summary>A bodiless POST with the application's bearer token (and whatever cookies <paramref name="http"/> keeps).</summary>
    private static async Task<HttpStatusCode> PostAsync(HttpClient http, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
