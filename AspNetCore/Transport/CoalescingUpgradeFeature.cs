using Microsoft.AspNetCore.Http.Features;

namespace OrleansTabs.AspNetCore.Transport;

/// <summary>
/// Hands the WebSocket a <see cref="CoalescingStream"/> over the upgraded connection, so the socket's send loop can
/// write a batch of frames with one flush. Installed for the socket routes before the WebSocket middleware reads the upgrade
/// feature (<see cref="Hosting.SocketPipeline"/>).
/// </summary>
internal sealed class CoalescingUpgradeFeature(IHttpUpgradeFeature inner, TimeProvider clock) : IHttpUpgradeFeature
{
    /// <summary>The stream handed to the WebSocket, once upgraded.</summary>
    public CoalescingStream? Stream { get; private set; }

    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        Stream = new CoalescingStream(await inner.UpgradeAsync(), clock);
        return Stream;
    }
}
