using OrleansTabs.ServiceDefaults;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansTabs.Grains.Hosting;
using OrleansTabs.Web.Hosting;

namespace OrleansTabs.Tests.Infrastructure;

/// <summary>Real processes-in-a-process: Web front-ends on Kestrel (loopback, any free port) and split-mode silos.</summary>
public static class TestHosts
{
    public const string PushKey = "test-push-key";

    /// <summary>An HTTP client for <c>POST /api/push</c> on <paramref name="server"/>, with the push key.</summary>
    public static HttpClient PushClient(Uri server)
    {
        var http = new HttpClient { BaseAddress = server };
        http.DefaultRequestHeaders.Add("X-Push-Key", PushKey);
        return http;
    }

    /// <summary>The settings every test host shares; <paramref name="extra"/> overrides them.</summary>
    public static Dictionary<string, string?> Settings(string serviceId, string clusterId, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = TestRedis.ConnectionString,
            ["Orleans:ServiceId"] = serviceId,
            ["Orleans:ClusterId"] = clusterId,
            ["OrleansTabs:Push:ApiKey"] = PushKey,
            // Test hosts run in the Production environment: the name sign-in the tests use is switched on explicitly.
            ["OrleansTabs:Auth:DevelopmentLogin"] = "true",
            ["OrleansTabs:FrontEnd:LeaseRenewInterval"] = "00:00:01",
            ["OrleansTabs:FrontEnd:LeaseTime"] = "00:00:04",

            // A host disposed with sockets open closes them at once; the drain's own tests set a window.
            ["OrleansTabs:FrontEnd:DrainWindow"] = "00:00:00",

            // The suites send bursts to test delivery, not the session's send budget: SendBudgetTests run it at its defaults.
            ["OrleansTabs:Sessions:SendsPerSecond"] = "100000",
            ["OrleansTabs:Sessions:SendBurst"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
        };
        foreach (var (key, value) in TestTokens.Settings().Concat(extra ?? new Dictionary<string, string?>()))
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>
    /// Starts a Web front-end; <paramref name="mode"/> is AllInOne (co-hosted silo) or Client. It runs in the Production
    /// environment unless <paramref name="environment"/> names another; <paramref name="configure"/> may add services (a
    /// test's telemetry exporter).
    /// </summary>
    public static async Task<RunningWeb> StartWebAsync(string mode, Dictionary<string, string?> settings, string environment = "Production", Action<IServiceCollection>? configure = null)
    {
        var (siloPort, gatewayPort) = FreePortPair();
        settings = new Dictionary<string, string?>(settings)
        {
            ["OrleansTabs:Hosting:Mode"] = mode,
            // Outside Development the metrics and the dashboard have a port of their own; each host here takes a free one.
            ["OrleansTabs:Management:Port"] = settings.GetValueOrDefault("OrleansTabs:Management:Port")
                ?? (environment == "Development" ? null : FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            [$"{OrleansTabsClusterOptions.SectionName}:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"{OrleansTabsClusterOptions.SectionName}:GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var app = OrleansTabsApp.Create(["--contentRoot", WebContentRoot(), "--environment", environment], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(settings);
            configure?.Invoke(builder.Services);
        });
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var address = new Uri(addresses.First());
        var management = app.Services.GetRequiredService<ManagementEndpoint>().Port is { } port ? new UriBuilder(address) { Port = port }.Uri : address;
        return new RunningWeb(app, address, management);
    }

    /// <summary>Starts a split-mode silo (Redis clustering and storage), as the Silo project does.</summary>
    public static async Task<IHost> StartSiloAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        var (siloPort, gatewayPort) = FreePortPair();
        builder.Configuration[$"{OrleansTabsClusterOptions.SectionName}:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Configuration[$"{OrleansTabsClusterOptions.SectionName}:GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var redis = builder.Configuration.GetConnectionString("Redis")!;
        builder.UseOrleans(silo => silo.UseOrleansTabsCluster(builder.Configuration, redis).AddOrleansTabs(redis));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>
    /// Two distinct free loopback ports: both probes are held open until both are known (two probes one after the other
    /// may be given the same port, which failed a host's start with "GatewayPort must differ from SiloPort").
    /// </summary>
    public static (int First, int Second) FreePortPair() => (FreePort(), FreePort());

    /// <summary>
    /// A port for a listener a test host binds later (a silo, a gateway, a management port), free on every interface
    /// when it is handed out. It is taken below the kernel's ephemeral range, so no outgoing connection can take it
    /// between the probe and the bind, and from a counter shared by the test process, so no two hosts are given the same.
    /// </summary>
    public static int FreePort()
    {
        for (var tries = 0; tries < FixedPorts; tries++)
        {
            var port = FirstFixedPort + (int)((uint)Interlocked.Increment(ref s_nextPort) % FixedPorts);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free port from {FirstFixedPort} to {FirstFixedPort + FixedPorts - 1}.");
    }

    /// <summary>Whether <paramref name="port"/> can be bound on every interface (IPv4 alone where there is no IPv6).</summary>
    private static bool IsFree(int port)
    {
        try
        {
            using var probe = Socket.OSSupportsIPv6 ? new TcpListener(IPAddress.IPv6Any, port) : new TcpListener(IPAddress.Any, port);
            if (Socket.OSSupportsIPv6)
            {
                probe.Server.DualMode = true;
            }

            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Below Linux' default ephemeral range (32768 and up) and above the registered services tests might meet.</summary>
    private const int FirstFixedPort = 20000;

    private const int FixedPorts = 12000;

    private static int s_nextPort = Random.Shared.Next(FixedPorts);

    /// <summary>The Web project's folder (for its wwwroot), found from the test binaries upwards.</summary>
    public static string WebContentRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrleansTabs.sln")))
            {
                return Path.Combine(dir.FullName, "Web");
            }
        }

        return AppContext.BaseDirectory;
    }
}

/// <summary>A started front-end and its address.</summary>
public sealed class RunningWeb(Microsoft.AspNetCore.Builder.WebApplication app, Uri address, Uri? management = null) : IAsyncDisposable
{
    public Microsoft.AspNetCore.Builder.WebApplication App { get; } = app;

    public Uri Address { get; } = address;

    /// <summary>Where <c>/metrics</c> and the dashboard answer: the management port, or <see cref="Address"/> in Development.</summary>
    public Uri Management { get; } = management ?? address;

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await App.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await App.DisposeAsync();
    }
}
