using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using OrleansTabs.ServiceDefaults;
using OrleansTabs.Grains.Hosting;
using OrleansTabs.Grains.Options;
using OrleansTabs.Grains.Storage;
using OrleansTabs.Web.Auth;

namespace OrleansTabs.Web.Hosting;

/// <summary>Builds the front-end: all-in-one (co-hosted silo on embedded Garnet) or a client of a split cluster.</summary>
public static class OrleansTabsApp
{
    /// <summary>The configuration of the JWT bearer scheme, as ASP.NET Core binds it.</summary>
    public const string JwtBearerSection = "Authentication:Schemes:Bearer";

    /// <summary>Builds the application; <paramref name="configure"/> may adjust the builder (tests set ports and settings).</summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddOrleansTabsHost();
        var app = builder.Build();
        app.UseOrleansTabsHost();
        return app;
    }

    /// <summary>Registers the cluster connection, authentication, Data Protection, sockets and options.</summary>
    public static WebApplicationBuilder AddOrleansTabsHost(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var hosting = HostingOptionsValidator.Read(configuration);
        var redis = configuration[HostingOptionsValidator.RedisConnectionStringKey];
        var allInOne = hosting.IsAllInOne(redis);

        if (string.IsNullOrWhiteSpace(redis))
        {
            var dataDirectory = string.IsNullOrWhiteSpace(hosting.GarnetDataDirectory) ? null : Path.Combine(builder.Environment.ContentRootPath, hosting.GarnetDataDirectory);
            var garnet = EmbeddedRedis.Start(hosting.GarnetPort, dataDirectory, commitWait: hosting.GarnetCommitWait);
            builder.Services.AddSingleton(garnet);
            builder.Services.AddSingleton<IStoreDurability>(garnet);
            redis = garnet.ConnectionString;
        }

        // One connection for the process, opened asynchronously at start-up before anything uses it.
        var connection = new RedisConnection(OrleansTabsSiloExtensions.RedisConfiguration(redis!));
        builder.Services.AddSingleton(connection);
        builder.Services.AddHostedService<RedisConnection.HostOpener>();
        var cluster = OrleansTabsClusterOptionsValidator.Read(configuration);
        if (allInOne)
        {
            UseCoHostedSilo(builder, redis!, cluster);
        }
        else
        {
            builder.UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = cluster.ClusterId;
                    o.ServiceId = cluster.ServiceId;
                });
                client.UseRedisClustering(o => o.ConfigurationOptions = ClusterSetup.RedisConfiguration(redis!));

                // Gateways come and go with the silos: read the list every 5 s (not every minute), and wait for the
                // cluster at start-up rather than exit.
                client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
                client.Services.AddSingleton<IClientConnectionRetryFilter, ClusterConnectRetry>();

                // A call that a gateway forwarded to a silo that then died gets no answer: it fails after this (the
                // default is 30 s) and the client's retry (a resend with the same id, a reconnect) reaches the
                // grain's new activation. Grain calls here take milliseconds; every one of them may be retried.
                client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
                client.AddDashboard();
                if (TelemetryExport.IsOn(configuration))
                {
                    client.AddActivityPropagation();
                }
            });
        }

        // Registered before Data Protection's own start-up service, which reads the ring on the host's thread: by then the
        // ring is loaded, and the first key, if the ring had none, was created under the lock.
        var keyRing = new RedisKey($"orleanstabs:{cluster.ServiceId}:dataprotection-keys");
        builder.Services.AddHostedService(services => new DataProtectionWarmUp(connection, services.GetRequiredService<IDataProtectionProvider>(), keyRing));
        builder.Services.AddDataProtection()
            .SetApplicationName("OrleansTabs")
            .PersistKeysToStackExchangeRedis(() => connection.Multiplexer.GetDatabase(), keyRing)
            .ProtectKeysWithConfiguredCertificate(configuration, builder.Environment.ContentRootPath);

        builder.AddServiceDefaults("orleanstabs-web");
        builder.AddFrontEnd();
        builder.Services.AddCrossOrigin(hosting);
        return builder;
    }

    /// <summary>Maps health, the OrleansTabs endpoints, static pages and the Orleans dashboard.</summary>
    public static WebApplication UseOrleansTabsHost(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseServiceDefaults();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseClientPackage();
        app.UseCrossOrigin();
        UseAuthenticationExceptOnSockets(app);
        app.MapDefaultEndpoints();
        app.MapOrleansTabs();
        // The dashboard shows cluster internals: signed-in users in Development, administrators on the management port
        // elsewhere.
        var dashboard = app.MapOrleansDashboardOnFirstVisit("/orleans").RequireManagementPort();
        if (app.Environment.IsDevelopment())
        {
            dashboard.RequireAuthorization();
        }
        else
        {
            dashboard.RequireAuthorization(AdminPolicy.Name);
        }

        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app));
        return app;
    }

    /// <summary>
    /// Authentication and authorization for every request but the WebSocket upgrades, which read their session from the
    /// session by themselves: what these middleware leave on a request would live as long as its socket. The two keys tell the host that the middleware are in the pipeline (set on the branch, they are not
    /// seen), so that it does not add them again in front of everything.
    /// </summary>
    private static void UseAuthenticationExceptOnSockets(WebApplication app)
    {
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/ws", StringComparison.Ordinal), branch => branch.UseAuthentication().UseAuthorization());
        var properties = ((IApplicationBuilder)app).Properties;
        properties["__AuthenticationMiddlewareSet"] = true;
        properties["__AuthorizationMiddlewareSet"] = true;
    }

    private static void UseCoHostedSilo(WebApplicationBuilder builder, string redis, OrleansTabsClusterOptions cluster)
    {
        var configured = builder.Configuration.GetSection(OrleansTabsClusterOptions.SectionName);
        if (configured["ClusterId"] is null)
        {
            // Each all-in-one process is a cluster of its own; state survives restarts through the (stable) ServiceId.
            cluster.ClusterId = "allinone-" + Guid.NewGuid().ToString("N")[..8];
            builder.Configuration[$"{OrleansTabsClusterOptions.SectionName}:ClusterId"] = cluster.ClusterId;
        }

        if (configured["SiloPort"] is null)
        {
            // Both probes stay open until both ports are known: two probes one after the other may be given the same port.
            using var silo = Probe();
            using var gateway = Probe();
            builder.Configuration[$"{OrleansTabsClusterOptions.SectionName}:SiloPort"] = Port(silo);
            builder.Configuration[$"{OrleansTabsClusterOptions.SectionName}:GatewayPort"] = Port(gateway);
        }

        builder.UseOrleans(silo =>
        {
            silo.UseOrleansTabsCluster(builder.Configuration, redis)
                .AddOrleansTabs(redis)
                .AddOrleansTabsDashboard(builder.Configuration);
            silo.Services.AddSingleton<Orleans.Metadata.IGrainPropertiesProvider, SingleSiloGrains>();
        });
    }

    /// <summary>
    /// The OrleansTabs front-end with this host's choices: the development sign-in on in Development (configuration may
    /// say otherwise), the admin claim kept with sessions for the dashboard's policy, and a JWT bearer scheme when
    /// <c>Authentication:Schemes:Bearer</c> is configured.
    /// </summary>
    private static void AddFrontEnd(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddValidatedOptions<AdminOptions, AdminOptionsValidator>(configuration, AdminOptions.SectionName);
        services.AddOrleansTabs(o => o.DevelopmentLogin = builder.Environment.IsDevelopment());
        services.AddOptions<OrleansTabsOptions>().Configure<IOptions<AdminOptions>>((o, admin) =>
        {
            if (!string.IsNullOrWhiteSpace(admin.Value.Claim))
            {
                o.CarriedClaims.Add(admin.Value.Claim);
            }
        });
        services.AddOrleansTabsForwardedHeaders(configuration);

        // This application signs its pages and its dashboard in with the OrleansTabs session.
        services.AddAuthentication(OrleansTabsDefaults.AuthenticationScheme);
        if (configuration.GetSection(JwtBearerSection).Exists())
        {
            // Binds Authentication:Schemes:Bearer (issuer, audiences, signing keys), as dotnet user-jwts writes it.
            services.AddAuthentication().AddJwtBearer();
            services.PinJwtAlgorithms();
        }

        services.AddAuthorizationBuilder().AddPolicy(AdminPolicy.Name, AdminPolicy.Configure);
    }

    /// <summary>A listener on a free loopback port, open until disposed.</summary>
    private static TcpListener Probe()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return probe;
    }

    private static string Port(TcpListener probe) => ((IPEndPoint)probe.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void LogStarted(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OrleansTabs");
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
        var management = app.Services.GetRequiredService<ManagementEndpoint>().Port;
        var urls = addresses.Select(ManagementEndpoint.ParseAddress).OfType<Uri>().ToList();
        var managementUrl = urls.FirstOrDefault(url => url.Port == management);
        foreach (var url in urls.Where(url => url.Port != management))
        {
            var open = url.ToString().TrimEnd('/');
            var dashboard = new Uri(managementUrl ?? url, "/orleans").ToString();
            StartupLog.Ready(logger, open, dashboard);
        }
    }
}
