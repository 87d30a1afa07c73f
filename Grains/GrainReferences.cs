using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace OrleansTabs;

/// <summary>
/// Grain references by string key without Orleans' per-call interface lookup: <c>GetGrain&lt;T&gt;(string)</c> resolves
/// the grain interface type of <c>T</c> by reflection (its custom attributes, a formatted type name) on every call,
/// and a connect makes several such calls. Here each factory resolves an interface once, from the first
/// reference it makes, and every later reference is made from its <see cref="GrainId"/>: the same reference, no
/// reflection. Per factory, because each host resolves its own grain types.
/// </summary>
public static class GrainReferences
{
    private static readonly ConditionalWeakTable<IGrainFactory, ConcurrentDictionary<Type, Resolved>> ByFactory = new();

    /// <summary>The reference to the grain of interface <typeparamref name="T"/> with this key, as <c>GetGrain&lt;T&gt;(key)</c> returns it.</summary>
    public static T Get<T>(this IGrainFactory factory, string key)
        where T : IGrainWithStringKey
    {
        var resolved = ByFactory.GetOrCreateValue(factory);
        if (resolved.TryGetValue(typeof(T), out var types))
        {
            return (T)factory.GetGrain(GrainId.Create(types.GrainType, key), types.InterfaceType);
        }

        var first = factory.GetGrain<T>(key);
        if (first is GrainReference reference)
        {
            resolved.TryAdd(typeof(T), new Resolved(reference.GrainId.Type, reference.InterfaceType));
        }

        return first;
    }

    private sealed record Resolved(GrainType GrainType, GrainInterfaceType InterfaceType);
}
