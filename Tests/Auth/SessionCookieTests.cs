using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrleansTabs.AspNetCore.Auth;
using OrleansTabs.Web.Auth;

namespace OrleansTabs.Tests.Auth;

/// <summary>A WebSocket upgrade reads its session from the cookie as the cookie scheme would, and keeps two values of it.</summary>
public sealed class SessionCookieTests
{
    private const string CookieName = "ot.session";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private readonly CookieAuthenticationOptions _options = new()
    {
        TicketDataFormat = new TicketDataFormat(new EphemeralDataProtectionProvider().CreateProtector("session-cookie-tests")),
        CookieManager = new ChunkingCookieManager { ChunkSize = 200 },
    };

    public SessionCookieTests() => _options.Cookie.Name = CookieName;

    [Fact]
    public void ASignedInCookieGivesTheSessionHandleAndTheUser()
    {
        var session = Reader().Read(Request(Protect("alice", "secret-1", expires: null)));

        Assert.Equal(new SessionCookie.SignedIn(SessionIds.Handle("secret-1"), "alice", "alice"), session);
    }

    [Fact]
    public void ACookieSplitIntoChunksIsReadWhole()
    {
        var context = new DefaultHttpContext();
        _options.CookieManager.AppendResponseCookie(context, CookieName, Protect("bob", "secret-2", expires: null), new CookieOptions());
        var chunks = context.Response.Headers.SetCookie.Select(c => c!.Split(';')[0]).ToArray();
        Assert.True(chunks.Length > 2, "the cookie should need several chunks at this chunk size");

        var request = new DefaultHttpContext();
        request.Request.Headers.Cookie = string.Join("; ", chunks);

        Assert.Equal("bob", Reader().Read(request)?.User);
    }

    [Fact]
    public void AnExpiredTamperedOrMissingCookieIsNoSession()
    {
        var expired = Protect("carol", "secret-3", expires: _clock.GetUtcNow().AddSeconds(-1));
        var valid = Protect("carol", "secret-3", expires: _clock.GetUtcNow().AddHours(1));

        Assert.Null(Reader().Read(Request(expired)));
        Assert.Null(Reader().Read(Request(valid[..^3] + (valid.EndsWith("xyz", StringComparison.Ordinal) ? "abc" : "xyz"))));
        Assert.Null(Reader().Read(new DefaultHttpContext()));
        Assert.Equal("carol", Reader().Read(Request(valid))?.User);
    }

    [Fact]
    public void ATicketWithoutASessionIsNoSession()
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "dave")], CookieAuthenticationDefaults.AuthenticationScheme);
        var cookie = _options.TicketDataFormat.Protect(new AuthenticationTicket(new ClaimsPrincipal(identity), CookieAuthenticationDefaults.AuthenticationScheme));

        Assert.Null(Reader().Read(Request(cookie)));
    }

    private SessionCookie Reader() => new(new FixedMonitor(_options), _clock);

    private string Protect(string user, string secret, DateTimeOffset? expires)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user), new Claim(SessionIds.SessionClaim, secret), new Claim("padding", new string('p', 400))],
            CookieAuthenticationDefaults.AuthenticationScheme);
        var properties = new AuthenticationProperties { ExpiresUtc = expires };
        return _options.TicketDataFormat.Protect(new AuthenticationTicket(new ClaimsPrincipal(identity), properties, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    private static DefaultHttpContext Request(string cookie)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = $"{CookieName}={cookie}";
        return context;
    }

    private sealed class FixedMonitor(CookieAuthenticationOptions options) : IOptionsMonitor<CookieAuthenticationOptions>
    {
        public CookieAuthenticationOptions CurrentValue => options;

        public CookieAuthenticationOptions Get(string? name) => options;

        public IDisposable? OnChange(Action<CookieAuthenticationOptions, string?> listener) => null;
    }
}
