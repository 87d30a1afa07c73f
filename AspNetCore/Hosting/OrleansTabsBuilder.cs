using Microsoft.Extensions.DependencyInjection;

namespace OrleansTabs.AspNetCore.Hosting;

internal sealed class OrleansTabsBuilder(IServiceCollection services) : IOrleansTabsBuilder
{
    public IServiceCollection Services { get; } = services;
}
