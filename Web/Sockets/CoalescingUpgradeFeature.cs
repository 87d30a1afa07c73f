using Microsoft.AspNetCore.Http.Features;

namespace OrleansTabs.Web.Sockets;

/// <summary>
/// Hands the WebSocket a <see cref="CoalescingStream"/> over the upgraded connection, so the socket's send loop can
/// write a batch of frames with one flush. Installed for <c>/ws/</c> requests before the WebSocket middleware reads
/// the upgrade feature.
/// </summary>
public sealed class CoalescingUpgradeFeature(IHttpUpgradeFeature inner, TimeProvider clock) : IHttpUpgradeFeature
{
    /// <summary>The stream handed to the WebSocket, once upgraded.</summary>
    public CoalescingStream? Stream { get; private set; }

    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        Stream = new CoalescingStream(await inner.UpgradeAsync(), clock);
        return Stream;
    }

    /// <summary>Wraps the upgrade feature of WebSocket requests under <c>/ws/</c>.</summary>
    public static IApplicationBuilder UseCoalescingWebSocketWrites(IApplicationBuilder app)
    {
        var clock = app.ApplicationServices.GetRequiredService<TimeProvider>();
        return app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/ws") && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
            {
                context.Features.Set<IHttpUpgradeFeature>(new CoalescingUpgradeFeature(upgrade, clock));
            }

            return next(context);
        });
    }
}
