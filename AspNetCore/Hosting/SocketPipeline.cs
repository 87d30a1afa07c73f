using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;

namespace OrleansTabs.AspNetCore.Hosting;

/// <summary>
/// Puts, in front of the host's pipeline and for the socket routes only, the coalescing upgrade (the socket's send loop
/// writes a batch of frames with one flush, <see cref="CoalescingUpgradeFeature"/>) and the WebSocket middleware
/// after it. Requests to other paths pass untouched, and a host's own <c>UseWebSockets</c> still serves its own routes.
/// </summary>
internal sealed class SocketPipeline(OrleansTabsRoutes routes, TimeProvider clock) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseWhen(routes.IsSocketPath, sockets => sockets
            .Use((context, nextMiddleware) =>
            {
                if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
                {
                    context.Features.Set<IHttpUpgradeFeature>(new CoalescingUpgradeFeature(upgrade, clock));
                }

                return nextMiddleware(context);
            })
            .UseWebSockets());
        next(app);
    };
}
