namespace OrleansTabs;

/// <summary>
/// Thrown by an <see cref="ITabCallHandler"/> to answer a call with the application's own error: <see cref="Code"/>
/// (<c>[a-z][a-z0-9_]{0,31}</c>; any other code answers <c>internal</c>) and the message, both shown to the client.
/// </summary>
public sealed class TabCallException(string code, string message) : Exception(message)
{
    /// <summary>The <c>error</c> frame's <c>code</c>.</summary>
    public string Code { get; } = code;
}
