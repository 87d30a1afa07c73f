namespace OrleansTabs;

/// <summary>The room name rule of docs/protocol.md section 3: 1-64 characters of <c>[A-Za-z0-9_.-]</c>.</summary>
public static class RoomNames
{
    /// <summary>The longest room name.</summary>
    public const int MaxLength = 64;

    /// <summary>Whether <paramref name="room"/> is a valid room name.</summary>
    public static bool IsValid(string? room) =>
        room is { Length: >= 1 and <= MaxLength } && room.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    /// <summary>Returns <paramref name="room"/> if it is valid; otherwise throws <see cref="ArgumentException"/> naming <paramref name="name"/>.</summary>
    public static string Require(string room, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(room))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(room, name);
        return IsValid(room) ? room : throw new ArgumentException($"A room name is 1-{MaxLength} characters of [A-Za-z0-9_.-].", name);
    }
}
