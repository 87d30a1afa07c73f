using System.Text.Json;

namespace OrleansTabs;

/// <summary>
/// Answers the <c>call</c> frames of one method (docs/protocol.md, "The application's hooks"). Resolved from the host's
/// services (one handler per <see cref="Method"/>), run on the front-end that holds the socket, concurrently with the
/// tab's other frames. What it returns is the <c>result</c>'s <c>data</c>, serialized with System.Text.Json's web
/// defaults; a <see cref="TabCallException"/> answers <c>error</c> with its code and message, any other exception
/// <c>internal</c>.
/// </summary>
public interface ITabCallHandler
{
    /// <summary>The method it answers: 1-64 characters of <c>[A-Za-z0-9_.-]</c>, unique among the handlers.</summary>
    string Method { get; }

    /// <summary>
    /// Answers one call; <paramref name="args"/> is the call's <c>args</c> (<see cref="JsonValueKind.Undefined"/> when it
    /// had none). <paramref name="cancellationToken"/> is cancelled when the socket ends.
    /// </summary>
    ValueTask<object?> HandleAsync(TabContext tab, JsonElement args, CancellationToken cancellationToken);
}
