using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansTabs.Tests.Infrastructure;

/// <summary>A signed-in browser: a cookie jar and an HTTP client against one front-end.</summary>
public sealed class TestSession : IDisposable
{
    private readonly HttpClient _http;

    private TestSession(Uri server, CookieContainer cookies, HttpClient http, string user, string handle)
    {
        Server = server;
        Cookies = cookies;
        _http = http;
        User = user;
        Handle = handle;
    }

    public Uri Server { get; }

    public CookieContainer Cookies { get; }

    public string User { get; }

    /// <summary>The public session handle from the login response.</summary>
    public string Handle { get; }

    /// <summary>An HTTP client for this session against another front-end (the cookie is readable by every front-end).</summary>
    public HttpClient HttpFor(Uri server) => new(new HttpClientHandler { CookieContainer = CopyCookies(server) }) { BaseAddress = server };

    /// <summary>Signs in by name (the development sign-in).</summary>
    public static Task<TestSession> SignInAsync(Uri server, string? user = null)
    {
        user ??= "user-" + Guid.NewGuid().ToString("N")[..8];
        return StartAsync(server, http => http.PostAsJsonAsync("/auth/login", new { user }));
    }

    /// <summary>Signs in from the host's identity: a bodiless login carrying a bearer token.</summary>
    public static Task<TestSession> SignInWithTokenAsync(Uri server, string token) =>
        StartAsync(server, async http =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await http.SendAsync(request);
        });

    private static async Task<TestSession> StartAsync(Uri server, Func<HttpClient, Task<HttpResponseMessage>> login)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server };
        var response = await login(http);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new TestSession(server, cookies, http, body.GetProperty("user").GetString()!, body.GetProperty("session").GetString()!);
    }

    public HttpClient Http => _http;

    public Task<TabClient> ConnectAsync(string channel, string? tab = null, string? instance = null, Uri? via = null) =>
        TabClient.ConnectAsync(via ?? Server, CookiesFor(via), channel, tab, instance);

    public async Task<(TabClient Client, JsonElement Welcome)> OpenAsync(string channel, string? tab = null, string? instance = null, Uri? via = null)
    {
        var client = await ConnectAsync(channel, tab, instance, via);
        return (client, await client.ExpectAsync("welcome"));
    }

    public async Task<JsonElement?> MeAsync()
    {
        var response = await _http.GetAsync("/auth/me");
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>() : null;
    }

    public async Task LogoutAsync(Uri? via = null)
    {
        using var http = HttpFor(via ?? Server);
        var response = await http.PostAsync("/auth/logout", null);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public void Dispose() => _http.Dispose();

    private CookieContainer CookiesFor(Uri? server) => server is null || server == Server ? Cookies : CopyCookies(server);

    private CookieContainer CopyCookies(Uri server)
    {
        var copy = new CookieContainer();
        foreach (Cookie cookie in Cookies.GetCookies(Server))
        {
            copy.Add(server, new Cookie(cookie.Name, cookie.Value, "/"));
        }

        return copy;
    }
}
