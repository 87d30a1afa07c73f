using OrleansTabs.Web.Hosting;

var app = OrleansTabsApp.Create(args);
await app.RunAsync();
