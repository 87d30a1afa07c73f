using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansTabs;
using OrleansTabs.AspNetCore.Hosting;
using OrleansTabs.Grains.Api;
using OrleansTabs.Grains.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the OrleansTabs front-end to an ASP.NET Core host that runs an Orleans silo or client.</summary>
public static class OrleansTabsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the front-end's services: the per-tab sockets, the session sign-in (a cookie scheme of its own,
    /// <see cref="OrleansTabsDefaults.AuthenticationScheme"/>, sealed with the host's Data Protection), the push API and
    /// <c>IOrleansTabs</c>. Settings are bound from <c>OrleansTabs:*</c>; <paramref name="configure"/> sets what code
    /// decides. The host's default authentication scheme, static files, CORS, forwarded headers and rate limiter are left
    /// as they are. Map the endpoints with <c>app.MapOrleansTabs()</c>.
    /// </summary>
    public static IOrleansTabsBuilder AddOrleansTabs(this IServiceCollection services, Action<OrleansTabsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<OrleansTabsOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(OrleansTabsMarker)))
        {
            return new OrleansTabsBuilder(services);
        }

        services.AddSingleton<OrleansTabsMarker>();
        services.AddValidatedOptions<SocketOptions, SocketOptionsValidator>(SocketOptions.SectionName);
        services.AddValidatedOptions<FrontEndOptions, FrontEndOptionsValidator>(FrontEndOptions.SectionName);

        // The code's choice first, then the configuration's, which overrides it when the key is set.
        services.AddOptions<AuthOptions>().Configure<IOptions<OrleansTabsOptions>>((auth, tabs) => auth.DevelopmentLogin = tabs.Value.DevelopmentLogin);
        services.AddValidatedOptions<AuthOptions, AuthOptionsValidator>(AuthOptions.SectionName);
        services.AddValidatedOptions<PushOptions, PushOptionsValidator>(PushOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IOrleansTabs, OrleansTabsServer>();
        services.AddSingleton<LoginRateLimit>();
        services.AddSingleton<LocalConnections>();
        services.AddSingleton<SessionCookie>();
        services.AddSingleton<FrontEndObserver>();
        services.AddSingleton<FrontEndMetrics>();
        services.AddSingleton<FrontEndDrain>();
        services.AddSingleton<FrontEndService>();
        services.AddSingleton<OrleansTabsRoutes>();
        services.AddHostedService(sp => sp.GetRequiredService<FrontEndService>());
        services.AddTransient<IStartupFilter, SocketPipeline>();
        services.AddHealthChecks().AddCheck<DrainHealthCheck>("orleanstabs-drain", tags: [OrleansTabsDefaults.ReadyTag]);
        AddShutdownTime(services);
        AddSessionScheme(services);
        return new OrleansTabsBuilder(services);
    }

    /// <summary>
    /// A stopping host waits <see cref="HostOptions.ShutdownTimeout"/> for its services, the drain among them: the
    /// timeout is raised (never lowered) to the drain window, the sockets' close timeout and a margin for the cluster
    /// connection (or co-hosted silo) to stop after it, so that a host at .NET's default of 30 s does not cut a longer
    /// drain short. A host's own longer timeout stays.
    /// </summary>
    private static void AddShutdownTime(IServiceCollection services) =>
        services.AddOptions<HostOptions>().PostConfigure<IOptions<FrontEndOptions>, IOptions<SocketOptions>>((host, frontEnd, sockets) =>
        {
            var needed = frontEnd.Value.DrainWindow + sockets.Value.CloseTimeout + ShutdownMargin;
            if (host.ShutdownTimeout != Timeout.InfiniteTimeSpan && host.ShutdownTimeout < needed)
            {
                host.ShutdownTimeout = needed;
            }
        });

    /// <summary>What a host needs beyond the drain to stop its Orleans client or silo and the rest of its services.</summary>
    internal static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(15);

    /// <summary>The session cookie's scheme, under its own name: the host's default scheme stays whatever the host made it.</summary>
    private static void AddSessionScheme(IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(OrleansTabsDefaults.AuthenticationScheme, o =>
        {
            o.CookieManager = new SessionTokenCookieManager();
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SlidingExpiration = false;
            o.ExpireTimeSpan = TimeSpan.FromDays(1);
            o.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.AddOptions<CookieAuthenticationOptions>(OrleansTabsDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((cookie, auth) => cookie.Cookie.Name = auth.Value.CookieName);
    }

    /// <summary>Tells a second <c>AddOrleansTabs</c> that the services are there.</summary>
    private sealed class OrleansTabsMarker;
}
