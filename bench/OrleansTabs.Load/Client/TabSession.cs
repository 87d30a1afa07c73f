using System.Net.Http.Json;

namespace OrleansTabs.Load.Client;

/// <summary>One signed-in session (a browser profile): its user, its cookie, shared by its tabs.</summary>
internal sealed class TabSession(string user)
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        UseCookies = false,
        MaxConnectionsPerServer = 256,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    { Timeout = TimeSpan.FromSeconds(30) };

    private readonly Lock _gate = new();
    private Task<string>? _signIn;

    /// <summary>The user name.</summary>
    public string User { get; } = user;

    /// <summary>The cookie header once signed in.</summary>
    public string? Cookie { get; private set; }

    /// <summary>Signs in once (the first tab that needs it does); later calls get the same cookie.</summary>
    public Task<string> SignInAsync(Uri server, CancellationToken cancellation)
    {
        lock (_gate)
        {
            if (_signIn is null || _signIn.IsFaulted || _signIn.IsCanceled)
            {
                _signIn = LoginAsync(server, cancellation);
            }

            return _signIn;
        }
    }

    /// <summary><c>POST /auth/logout</c> with the session cookie; returns the status code.</summary>
    public async Task<int> LogoutAsync(Uri server, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "/auth/logout"));
        request.Headers.Add("Cookie", Cookie);
        using var response = await Http.SendAsync(request, cancellation);
        return (int)response.StatusCode;
    }

    /// <summary>A GET that returns the status code (health checks).</summary>
    public static async Task<int> StatusOfAsync(Uri uri, CancellationToken cancellation)
    {
        using var response = await Http.GetAsync(uri, cancellation);
        return (int)response.StatusCode;
    }

    /// <summary>A GET of a text resource (metrics).</summary>
    public static Task<string> GetStringAsync(Uri uri, CancellationToken cancellation) => Http.GetStringAsync(uri, cancellation);

    private async Task<string> LoginAsync(Uri server, CancellationToken cancellation)
    {
        using var response = await Http.PostAsJsonAsync(new Uri(server, "/auth/login"), new { user = User }, cancellation);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"POST /auth/login answered {(int)response.StatusCode}.");
        }

        // Keep only name=value of each cookie, as a browser sends them back.
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : [];
        Cookie = string.Join("; ", cookies);
        return Cookie;
    }
}
