using System.Collections.Frozen;
using System.Security.Claims;
using OrleansTabs.Sessions;
using OrleansTabs.Tabs;

namespace OrleansTabs.AspNetCore.Hooks;

/// <summary>
/// The application's hooks as the front-end runs them (<c>AddAuthorizer</c>, <c>AddCallHandler</c>), resolved once from
/// the host's services when the socket route is mapped: two handlers of one method, a handler whose method no
/// <c>call</c> can name, or more than one authorizer fail there, naming what is wrong.
/// </summary>
internal sealed class TabHooks
{
    private readonly FrozenDictionary<string, ITabCallHandler> _handlers;

    public TabHooks(IEnumerable<ITabsAuthorizer> authorizers, IEnumerable<ITabCallHandler> handlers)
    {
        var all = authorizers.ToList();
        if (all.Count > 1)
        {
            throw new InvalidOperationException(
                $"OrleansTabs takes one ITabsAuthorizer, but {all.Count} are registered ({string.Join(", ", all.Select(a => a.GetType().FullName))}): combine their rules in one.");
        }

        Authorizer = all.SingleOrDefault();
        var byMethod = new Dictionary<string, ITabCallHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            var method = handler.Method;
            if (!Identifiers.IsMethod(method))
            {
                throw new InvalidOperationException(
                    $"The call handler {handler.GetType().FullName} answers method '{method}', which no call can name: a method is 1-64 characters of [A-Za-z0-9_.-].");
            }

            if (!byMethod.TryAdd(method, handler))
            {
                throw new InvalidOperationException(
                    $"Two call handlers answer method '{method}' ({byMethod[method].GetType().FullName} and {handler.GetType().FullName}): a method has one handler.");
            }
        }

        _handlers = byMethod.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>No hooks: every connect, join and send allowed, every call <c>unknown_method</c>.</summary>
    public static TabHooks None { get; } = new([], []);

    /// <summary>The application's authorizer, or null: everything is allowed and nothing is asked.</summary>
    public ITabsAuthorizer? Authorizer { get; }

    /// <summary>The handler of a call's method, or null (<c>unknown_method</c>).</summary>
    public ITabCallHandler? Handler(string method) => _handlers.GetValueOrDefault(method);

    /// <summary>
    /// The context of a tab for the hooks, with the claims its session carries; null if the session is not live. One
    /// call to the session grain (which counts as the session's activity).
    /// </summary>
    public static async Task<TabContext?> ReadContextAsync(ISessionGrain session, TabAddress tab)
    {
        if (await session.ValidateAsync() is not { } info)
        {
            return null;
        }

        var claims = new Claim[info.Claims.Length];
        for (var i = 0; i < claims.Length; i++)
        {
            claims[i] = new Claim(info.Claims[i].Type, info.Claims[i].Value);
        }

        return new TabContext(info.User, tab.Session, tab.Tab, tab.Channel, claims);
    }
}
