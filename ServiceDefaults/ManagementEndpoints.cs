using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansTabs.Grains.Options;

namespace OrleansTabs.ServiceDefaults;

/// <summary>
/// The management port of a host (<see cref="ManagementOptions"/>): the endpoints marked with
/// <see cref="ManagementEndpoints.RequireManagementPort{TBuilder}"/> answer only there, and there only they and the health
/// checks answer. The check is on the connection's local port, never on the <c>Host</c> header a client chooses.
/// </summary>
public sealed class ManagementEndpoint
{
    /// <summary>Resolves the port from the options and the environment.</summary>
    public ManagementEndpoint(IOptions<ManagementOptions> options, IHostEnvironment environment)
    {
        var o = options.Value;
        Port = o.Port ?? (environment.IsDevelopment() ? null : ManagementOptions.DefaultPort);
        Url = Port is { } port ? $"http://{o.Host}:{port}" : null;
    }

    /// <summary>The management port; null when the management endpoints are served on the app's ports.</summary>
    public int? Port { get; }

    /// <summary>The URL the server listens on for the management port, or null.</summary>
    public string? Url { get; }

    /// <summary>A server address (<c>http://+:8080</c>, <c>http://*:9090</c>, <c>http://127.0.0.1:5000</c>) as a URI, wildcard hosts read as localhost.</summary>
    public static Uri? ParseAddress(string address) =>
        Uri.TryCreate(address.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>Whether <paramref name="context"/> came in on the management port (always true when there is none).</summary>
    public bool IsManagementRequest(HttpContext context) => Port is not { } port || context.Connection.LocalPort == port;
}

/// <summary>Marks an endpoint as served on the management port only.</summary>
public sealed class ManagementEndpointMetadata
{
    /// <summary>The one instance.</summary>
    public static readonly ManagementEndpointMetadata Instance = new();

    private ManagementEndpointMetadata()
    {
    }
}

/// <summary>Registration and mapping of the management port.</summary>
public static partial class ManagementEndpoints
{
    /// <summary>
    /// Serves the endpoints of <paramref name="builder"/> on the management port only: elsewhere they answer 404, as if
    /// they did not exist.
    /// </summary>
    public static TBuilder RequireManagementPort<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            endpoint.Metadata.Add(ManagementEndpointMetadata.Instance);
            if (endpoint.RequestDelegate is not { } next)
            {
                return;
            }

            endpoint.RequestDelegate = context =>
            {
                if (context.RequestServices.GetRequiredService<ManagementEndpoint>().IsManagementRequest(context))
                {
                    return next(context);
                }

                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            };
        });
        return builder;
    }

    internal static void AddManagementPort(IServiceCollection services)
    {
        services.AddValidatedOptions<ManagementOptions, ManagementOptionsValidator>(ManagementOptions.SectionName);
        services.AddSingleton<ManagementEndpoint>();
        services.AddTransient<IStartupFilter, ManagementListener>();
    }

    /// <summary>On the management port, answers 404 to everything but the management endpoints and the health checks.</summary>
    internal static IApplicationBuilder UseManagementPort(this IApplicationBuilder app)
    {
        var management = app.ApplicationServices.GetRequiredService<ManagementEndpoint>();
        if (management.Port is null)
        {
            return app;
        }

        return app.Use((context, next) =>
        {
            if (context.Connection.LocalPort != management.Port
                || context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal)
                || context.GetEndpoint()?.Metadata.GetMetadata<ManagementEndpointMetadata>() is not null)
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Adds the management URL to the server's addresses. It runs after the host has put the configured URLs there and
    /// before the server binds them, so the app's own URLs stay exactly as configured.
    /// </summary>
    private sealed partial class ManagementListener(ManagementEndpoint management, IServer server, IHostApplicationLifetime lifetime, ILogger<ManagementEndpoint> logger) : IStartupFilter
    {
        /// <summary>The address Kestrel binds when it is given none, which adding the management URL would replace.</summary>
        private const string KestrelDefault = "http://localhost:5000";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            if (management.Url is { } url && server.Features.Get<IServerAddressesFeature>() is { Addresses.IsReadOnly: false } feature)
            {
                if (feature.Addresses.Count == 0)
                {
                    feature.Addresses.Add(KestrelDefault);
                }

                feature.Addresses.Add(url);
                lifetime.ApplicationStarted.Register(() => CheckBound(feature));
            }

            next(app);
        };

        private void CheckBound(IServerAddressesFeature feature)
        {
            var port = management.Port!.Value;
            if (!feature.Addresses.Any(address => ManagementEndpoint.ParseAddress(address)?.Port == port))
            {
                LogNotBound(port, ManagementOptions.SectionName);
            }
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "The management port {Port} is not bound (the server's endpoints are configured in code or in Kestrel's settings): add it there, or set {Section}:Port to one that is, or /metrics and the dashboard cannot be reached.")]
        private partial void LogNotBound(int port, string section);
    }
}
