using OrleansTabs.ServiceDefaults;

// A silo of the split topology: Redis clustering and storage; health on its HTTP port, the dashboard and metrics on
// the management port outside Development (OrleansTabs:Management).
var builder = WebApplication.CreateBuilder(args);
var redis = builder.Configuration.GetConnectionString("Redis")
    ?? throw new InvalidOperationException("Set ConnectionStrings:Redis (e.g. ConnectionStrings__Redis=127.0.0.1:6379) to run a silo.");
builder.AddServiceDefaults("orleanstabs-silo");
builder.UseOrleans(silo => silo
    .UseOrleansTabsCluster(builder.Configuration, redis)
    .AddOrleansTabs(redis)
    .AddOrleansTabsDashboard(builder.Configuration));

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapOrleansDashboardOnFirstVisit("/orleans").RequireManagementPort();
app.MapGet("/", () => Results.Redirect("/orleans")).RequireManagementPort();
await app.RunAsync();
