using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.AppHost;

/// <summary>
/// The application's front-end, as its Program.cs would build it on the public API only: its own bearer scheme,
/// OrleansTabs with the team claim carried and the application's hooks, its own endpoints. The host that adds Orleans (a
/// silo or a client) is the topology's choice.
/// </summary>
public static class TeamApp
{
    /// <summary>A front-end's builder on a free loopback port, with every service of the application but Orleans.</summary>
    public static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        QuietLogging(builder.Configuration);
        builder.Services.AddAppBearer();
        builder.Services.AddOrleansTabs(options => options.CarriedClaims.Add(TeamRooms.TeamClaim))
            .AddAuthorizer<TeamRooms>()
            .AddCallHandler<UpperCase>()
            .AddCallHandler<AnnounceCall>();
        return builder;
    }

    /// <summary>Builds the front-end with its middleware and endpoints, and starts it.</summary>
    public static async Task<RunningWeb> StartAsync(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseWebSockets();
        app.MapOrleansTabs();
        app.MapAppEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningWeb(app, new Uri(address));
    }

    /// <summary>Warnings and errors only: the test output shows what went wrong, not every request.</summary>
    public static void QuietLogging(IConfigurationBuilder configuration) =>
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
            ["Logging:LogLevel:OrleansTabs"] = "Warning",
        });
}
