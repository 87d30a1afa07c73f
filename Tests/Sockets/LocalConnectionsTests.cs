using Microsoft.Extensions.Logging.Abstractions;
using OrleansTabs.Tabs;
using OrleansTabs.AspNetCore.FrontEnd;
using OrleansTabs.AspNetCore.Protocol;
using OrleansTabs.AspNetCore.Transport;

namespace OrleansTabs.Tests.Sockets;

/// <summary>The front-end's sockets: all of them for the sweep, the dashboards alone for topic updates.</summary>
public sealed class LocalConnectionsTests : IDisposable
{
    private readonly LocalConnections _connections = new();
    private readonly FrontEndMetrics _metrics;

    public LocalConnectionsTests() => _metrics = new FrontEndMetrics(_connections);

    private TabSocket Socket(string channel) =>
        new(new TabAddress("session", Guid.NewGuid().ToString("N"), channel), "instance", "user", new SocketOptions(), TimeProvider.System, _metrics, NullLogger.Instance);

    [Fact]
    public void DashboardSocketsAreListedApartAndLeaveBothListsWhenRemoved()
    {
        var chat = Socket(Channels.Chat);
        var dashboard = Socket(Channels.Dashboard);
        Assert.True(_connections.IsEmpty);

        _connections.Add(chat);
        _connections.Add(dashboard);

        Assert.False(_connections.IsEmpty);
        Assert.Equal(new[] { chat, dashboard }.Select(s => s.ConnectionId).Order(), _connections.All.Select(s => s.ConnectionId).Order());
        Assert.Equal([dashboard], _connections.Dashboards);
        Assert.Same(dashboard, _connections.Find(dashboard.ConnectionId));

        _connections.Remove(dashboard);
        Assert.Empty(_connections.Dashboards);
        Assert.Equal([chat], _connections.All);
        Assert.Null(_connections.Find(dashboard.ConnectionId));

        _connections.Remove(chat);
        Assert.True(_connections.IsEmpty);
    }

    public void Dispose() => _metrics.Dispose();
}
