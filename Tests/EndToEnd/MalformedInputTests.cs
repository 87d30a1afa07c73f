using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>
/// A fuzz table of every client frame type and every HTTP body against malformed values: each gets
/// <c>invalid_field</c> (or a 400 problem), never <c>internal</c> or a 500; the socket still answers <c>ping</c>, and
/// the process logs no exception.
/// </summary>
[Collection(MalformedInputCollection.Name)]
public sealed class MalformedInputTests(MalformedInputFixture fixture)
{
    /// <summary>Strings that are valid JSON text but not valid Unicode: lone surrogate escapes.</summary>
    private static readonly string[] BadStrings = [@"""\ud800""", @"""a\udc00b""", @"""x\ud83d""", @"""\ud83d\u0041"""];

    /// <summary>Values that are no offset, limit or before: a string, a fraction, an exponent, past 2^53, an object, others.</summary>
    private static readonly string[] BadIntegers = [@"""5""", "1.5", "1e2", "1e300", "9007199254740993", "-9007199254740993", "{}", "[]", "true"];

    /// <summary>Frames with a string slot <c>$</c>, on every frame type and in every string field (names too).</summary>
    private static readonly string[] StringTemplates =
    [
        """{"type":$}""",
        """{"type":"ping","id":$}""",
        """{"type":"ping","pad":$}""",
        """{"type":"ping",$:1}""",
        """{"type":"ping","nested":{"deep":[$]}}""",
        """{"type":"resume","streams":{$:{"epoch":"e","offset":0}}}""",
        """{"type":"resume","streams":{"tab":{"epoch":$,"offset":0}}}""",
        """{"type":"ack","stream":$,"offset":1}""",
        """{"type":"ack","id":$,"stream":"tab","offset":1}""",
        """{"type":"state","visibility":$,"focused":true}""",
        """{"type":"join","room":$}""",
        """{"type":"leave","room":$}""",
        """{"type":"who","room":$}""",
        """{"type":"history","room":$}""",
        """{"type":"send","id":$,"room":"r","text":"hi"}""",
        """{"type":"send","id":"s1","room":$,"text":"hi"}""",
        """{"type":"send","id":"s1","room":"r","text":$}""",
        """{"type":"call","id":$,"method":"m"}""",
        """{"type":"call","id":"c1","method":$}""",
        """{"type":"call","id":"c1","method":"m","args":$}""",
        """{"type":"call","id":"c1","method":"m","args":{"k":[$]}}""",
    ];

    /// <summary>Frames with an integer slot <c>#</c>.</summary>
    private static readonly string[] IntegerTemplates =
    [
        """{"type":"ack","stream":"tab","offset":#}""",
        """{"type":"history","room":"r","before":#}""",
        """{"type":"history","room":"r","limit":#}""",
    ];

    /// <summary>Resume frames (each the first frame of a fresh socket) with malformed positions.</summary>
    private static readonly string[] BadResumes =
    [
        .. BadIntegers.Select(n => """{"type":"resume","streams":{"tab":{"epoch":"e","offset":#}}}""".Replace("#", n, StringComparison.Ordinal)),
        """{"type":"resume","streams":{"tab":{"epoch":"e","offset":-1}}}""",
        """{"type":"resume","streams":{"tab":1}}""",
        """{"type":"resume","streams":{"tab":"x"}}""",
        """{"type":"resume","streams":{"tab":[]}}""",
        """{"type":"resume","streams":{"tab":null}}""",
        """{"type":"resume","streams":{"tab":{"epoch":"","offset":0}}}""",
        """{"type":"resume","streams":{"tab":{"epoch":7,"offset":0}}}""",
        """{"type":"resume","streams":[]}""",
        """{"type":"resume","streams":"tab"}""",
    ];

    private static IEnumerable<string> BadFrames(bool chat) =>
        StringTemplates.SelectMany(t => BadStrings.Select(v => t.Replace("$", v, StringComparison.Ordinal)))
            .Concat(chat ? IntegerTemplates.SelectMany(t => BadIntegers.Append("-1").Select(n => t.Replace("#", n, StringComparison.Ordinal))) : [])
            .Concat(IntegerTemplates.Take(1).Select(t => t.Replace("#", "-1", StringComparison.Ordinal)));

    [Theory]
    [InlineData("chat")]
    [InlineData("dashboard")]
    public async Task EveryMalformedFrameIsAnInvalidFieldAndTheSocketGoesOn(string channel)
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, _) = await session.OpenAsync(channel);
        await using (tab)
        {
            var wrong = new List<string>();
            foreach (var frame in BadFrames(channel == "chat"))
            {
                await RefuseAsync(tab, frame, wrong);
            }

            Assert.Empty(wrong);
        }

        Assert.Empty(fixture.Failures);
    }

    [Fact]
    public async Task EveryMalformedResumeIsAnInvalidFieldAndTheSocketGoesOn()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var wrong = new List<string>();
        foreach (var frame in BadResumes)
        {
            var (tab, _) = await session.OpenAsync("chat");
            await using (tab)
            {
                await RefuseAsync(tab, frame, wrong);
            }
        }

        Assert.Empty(wrong);
        Assert.Empty(fixture.Failures);
    }

    [Fact]
    public async Task ASurrogatePairIsValidText()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (tab, _) = await session.OpenAsync("chat");
        await using (tab)
        {
            var room = "pair-" + TabClient.NewId()[..8];
            await tab.SendAsync(new { type = "join", room });
            await tab.ExpectAsync("joined");
            await tab.SendTextAsync($$"""{"type":"send","id":"p1","room":"{{room}}","text":"smile \ud83d\ude00"}""");
            Assert.Equal("p1", (await tab.ExpectAsync("ack")).GetProperty("id").GetString());
            await tab.SendAsync(new { type = "history", room });
            var history = await tab.ExpectAsync("history");
            Assert.Equal("smile \U0001F600", history.GetProperty("messages")[0].GetProperty("text").GetString());
        }
    }

    [Fact]
    public async Task EveryMalformedHttpBodyIs400Problem()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server };
        var wrong = new List<string>();
        foreach (var user in BadStrings)
        {
            await ProblemAsync(http, "/auth/login", $$"""{"user":{{user}}}""", wrong);
            await ProblemAsync(http, "/auth/login", "{" + user + """:"alice"}""", wrong);
        }

        using var push = TestHosts.PushClient(fixture.Server);
        string[] templates =
        [
            """{"target":{"user":$},"payload":{}}""",
            """{"target":{"session":$},"payload":{}}""",
            """{"target":{"tab":$},"payload":{}}""",
            """{"target":{"room":$},"payload":{}}""",
            """{"target":{"topic":$},"payload":{}}""",
            """{"target":{$:"x","user":"u"},"payload":{}}""",
            """{"target":{"topic":"t"},"payload":{"k":$}}""",
            """{"target":{"topic":"t"},"payload":{$:1}}""",
            """{"target":{"user":"u"},"delivery":$,"payload":{}}""",
        ];
        var bodies = templates.SelectMany(t => BadStrings.Select(v => t.Replace("$", v, StringComparison.Ordinal)));
        foreach (var body in bodies)
        {
            await ProblemAsync(push, "/api/push", body, wrong);
        }

        Assert.Empty(wrong);
        Assert.Empty(fixture.Failures);
    }

    [Fact]
    public async Task TheServerApiRefusesLoneSurrogatesWithArgumentException()
    {
        var tabs = fixture.Web.Service<IOrleansTabs>();
        using var element = JsonDocument.Parse("""{"k":"\ud800"}""");
        await Assert.ThrowsAnyAsync<ArgumentException>(() => tabs.PushAsync(TabsTarget.User("\ud800"), new { }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => tabs.PushAsync(TabsTarget.Tab("s", "\udc00"), new { }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => tabs.PushAsync(TabsTarget.User("u"), new { s = "\ud800" }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => tabs.PushAsync(TabsTarget.User("u"), element.RootElement));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => tabs.PushAsync(TabsTarget.User("u"), new { }, idempotencyKey: "k\ud800"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => tabs.PublishAsync("r", element.RootElement));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => tabs.SetTopicAsync("t", new { s = "x\udbff" }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => tabs.SignOutAsync(TabsTarget.Session("\ud800")));
    }

    /// <summary>Sends a bad frame; adds to <paramref name="wrong"/> what it got if that was not <c>invalid_field</c>. The socket must then answer <c>ping</c>.</summary>
    private static async Task RefuseAsync(TabClient tab, string frame, List<string> wrong)
    {
        await tab.SendTextAsync(frame);
        var error = await tab.ExpectAsync("error");
        if (error.GetProperty("code").GetString() != "invalid_field")
        {
            wrong.Add($"{frame} got {error.GetProperty("code")}");
        }

        await tab.SendAsync(new { type = "ping" });
        await tab.ExpectAsync("pong");
    }

    /// <summary>Posts a bad body; adds to <paramref name="wrong"/> what it got if that was not a 400 problem.</summary>
    private static async Task ProblemAsync(HttpClient http, string path, string body, List<string> wrong)
    {
        using var response = await http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        if (response.StatusCode != HttpStatusCode.BadRequest || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            wrong.Add($"{path} {body} got {(int)response.StatusCode}");
        }
    }
}
