using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using StackExchange.Redis;

namespace OrleansTabs.Grains.Hosting;

/// <summary>
/// The process's one StackExchange.Redis connection (room logs, Data Protection keys), opened asynchronously at
/// start-up, before the first grain or request needs it. Nothing connects lazily: a synchronous connect inside a grain
/// activation or a DI factory blocks a pool thread, and with the embedded Garnet server in the same process a few
/// blocked pool threads stall the whole server.
/// </summary>
public sealed class RedisConnection(ConfigurationOptions options) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private Task<ConnectionMultiplexer>? _opening;
    private ConnectionMultiplexer? _multiplexer;

    /// <summary>The open connection. Start-up opens it; asking before that is a wiring bug, not a reason to block.</summary>
    public IConnectionMultiplexer Multiplexer =>
        Volatile.Read(ref _multiplexer) ?? throw new InvalidOperationException("The Redis connection is used before start-up opened it.");

    /// <summary>Opens the connection once; every caller awaits the same attempt. With AbortOnConnectFail off it returns even while Redis is down and reconnects in the background.</summary>
    public async Task OpenAsync()
    {
        Task<ConnectionMultiplexer> opening;
        lock (_gate)
        {
            opening = _opening ??= ConnectionMultiplexer.ConnectAsync(options);
        }

        Volatile.Write(ref _multiplexer, await opening);
    }

    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _multiplexer) is { } multiplexer)
        {
            await multiplexer.DisposeAsync();
        }
    }

    /// <summary>Opens the connection in the silo's start-up, before any grain activates.</summary>
    internal sealed class SiloOpener(RedisConnection connection) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(RedisConnection), ServiceLifecycleStage.RuntimeInitialize, _ => connection.OpenAsync());
    }

    /// <summary>Opens the connection in the host's start-up, before the server takes requests (front-ends without a silo).</summary>
    public sealed class HostOpener(RedisConnection connection) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => connection.OpenAsync().WaitAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
