using Microsoft.Extensions.DependencyInjection;

namespace OrleansTabs;

/// <summary>What <c>services.AddOrleansTabs()</c> returns: adds the application's hooks to the front-end.</summary>
public interface IOrleansTabsBuilder
{
    /// <summary>The host's services.</summary>
    IServiceCollection Services { get; }
}
