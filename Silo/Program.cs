using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Orleans.Dashboard;
using OrleansTabs.Grains.Hosting;
using OrleansTabs.Grains.Health;

// A silo of the split topology: Redis clustering and storage, the dashboard and health on its HTTP port.
var builder = WebApplication.CreateBuilder(args);
var redis = builder.Configuration.GetConnectionString("Redis")
    ?? throw new InvalidOperationException("Set ConnectionStrings:Redis (e.g. ConnectionStrings__Redis=127.0.0.1:6379) to run a silo.");
builder.UseOrleans(silo => silo.UseOrleansTabsSilo(builder.Configuration, redis).AddDashboard());

// The dashboard samples every meter on each update: every 5 s keeps an idle silo idle (OrleansTabs:Dashboard overrides).
builder.Services.Configure<DashboardOptions>(o => o.CounterUpdateIntervalMs = 5000);
builder.Services.Configure<DashboardOptions>(builder.Configuration.GetSection("OrleansTabs:Dashboard"));
builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("orleanstabs-silo")).WithMetrics(metrics => metrics.AddMeter("Microsoft.Orleans").AddAspNetCoreInstrumentation().AddPrometheusExporter());
builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [ClusterHealthCheck.ReadyTag]);

var app = builder.Build();
app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains(ClusterHealthCheck.ReadyTag) });
app.MapOrleansDashboard(routePrefix: "/orleans");
app.MapPrometheusScrapingEndpoint("/metrics");
app.MapGet("/", () => Results.Redirect("/orleans"));
await app.RunAsync();
