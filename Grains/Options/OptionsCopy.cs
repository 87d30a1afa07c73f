using System.Reflection;

namespace OrleansTabs.Grains.Options;

/// <summary>Copies the settable public properties of an options object onto another: the code's choices onto the bound options.</summary>
internal static class OptionsCopy
{
    public static void Copy<T>(T source, T target)
        where T : class
    {
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p is { CanRead: true, CanWrite: true }))
        {
            property.SetValue(target, property.GetValue(source));
        }
    }
}
