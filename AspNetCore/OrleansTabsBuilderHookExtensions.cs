using System.Text.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansTabs;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds the application's hooks to the front-end (docs/protocol.md, "The application's hooks"): one authorizer and any
/// number of call handlers, one per method. Each is a singleton of the host's services, so it may depend on the host's other
/// singletons (not on scoped services); they are resolved when <c>MapOrleansTabs</c> maps the socket route, which fails
/// there if two handlers answer one method.
/// </summary>
public static class OrleansTabsBuilderHookExtensions
{
    /// <summary>
    /// Adds the authorizer of connects, joins and sends. An application has one: a second <c>AddAuthorizer</c> throws
    /// <see cref="InvalidOperationException"/> naming the first, rather than one set of rules silently replacing another.
    /// </summary>
    public static IOrleansTabsBuilder AddAuthorizer<T>(this IOrleansTabsBuilder builder)
        where T : class, ITabsAuthorizer =>
        builder.AddAuthorizer(ServiceDescriptor.Singleton<ITabsAuthorizer, T>());

    /// <summary>Adds the authorizer made by <paramref name="factory"/> from the host's services; one per application, as <see cref="AddAuthorizer{T}(IOrleansTabsBuilder)"/>.</summary>
    public static IOrleansTabsBuilder AddAuthorizer<T>(this IOrleansTabsBuilder builder, Func<IServiceProvider, T> factory)
        where T : class, ITabsAuthorizer
    {
        ArgumentNullException.ThrowIfNull(factory);
        return builder.AddAuthorizer(ServiceDescriptor.Singleton<ITabsAuthorizer>(factory));
    }

    /// <summary>Adds an authorizer instance; one per application, as <see cref="AddAuthorizer{T}(IOrleansTabsBuilder)"/>.</summary>
    public static IOrleansTabsBuilder AddAuthorizer(this IOrleansTabsBuilder builder, ITabsAuthorizer authorizer)
    {
        ArgumentNullException.ThrowIfNull(authorizer);
        return builder.AddAuthorizer(ServiceDescriptor.Singleton(authorizer));
    }

    /// <summary>Adds the handler of one call method (its <see cref="ITabCallHandler.Method"/>); adding the same type twice adds it once.</summary>
    public static IOrleansTabsBuilder AddCallHandler<T>(this IOrleansTabsBuilder builder)
        where T : class, ITabCallHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ITabCallHandler, T>());
        return builder;
    }

    /// <summary>Adds the call handler made by <paramref name="factory"/> from the host's services.</summary>
    public static IOrleansTabsBuilder AddCallHandler<T>(this IOrleansTabsBuilder builder, Func<IServiceProvider, T> factory)
        where T : class, ITabCallHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddSingleton<ITabCallHandler>(factory);
        return builder;
    }

    /// <summary>Adds a call handler instance.</summary>
    public static IOrleansTabsBuilder AddCallHandler(this IOrleansTabsBuilder builder, ITabCallHandler handler)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(handler);
        builder.Services.AddSingleton(handler);
        return builder;
    }

    /// <summary>Adds the handler of <paramref name="method"/> as a delegate, for a call that needs no class of its own.</summary>
    public static IOrleansTabsBuilder AddCallHandler(
        this IOrleansTabsBuilder builder,
        string method,
        Func<TabContext, JsonElement, CancellationToken, ValueTask<object?>> handle)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(handle);
        return builder.AddCallHandler(new DelegateCallHandler(method, handle));
    }

    private static IOrleansTabsBuilder AddAuthorizer(this IOrleansTabsBuilder builder, ServiceDescriptor authorizer)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.FirstOrDefault(d => d.ServiceType == typeof(ITabsAuthorizer)) is { } existing)
        {
            throw new InvalidOperationException(
                $"An ITabsAuthorizer is already added ({Describe(existing)}): OrleansTabs takes one authorizer, so combine the rules in it.");
        }

        builder.Services.Add(authorizer);
        return builder;
    }

    private static string Describe(ServiceDescriptor descriptor) =>
        (descriptor.ImplementationType ?? descriptor.ImplementationInstance?.GetType())?.FullName ?? "made by a factory";

    private sealed class DelegateCallHandler(string method, Func<TabContext, JsonElement, CancellationToken, ValueTask<object?>> handle) : ITabCallHandler
    {
        public string Method { get; } = method;

        public ValueTask<object?> HandleAsync(TabContext tab, JsonElement args, CancellationToken cancellationToken) => handle(tab, args, cancellationToken);
    }
}
