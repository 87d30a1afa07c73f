namespace OrleansTabs.AspNetCore.Protocol;

/// <summary>The identifier rules of docs/protocol.md: tab and instance ids, room names, call methods, client message ids.</summary>
internal static class Identifiers
{
    /// <summary>Tab and instance ids: 8-64 chars of <c>[A-Za-z0-9_-]</c>.</summary>
    public static bool IsTabId(string? value) => value is { Length: >= 8 and <= 64 } && value.All(IsIdChar);

    /// <summary>Room names: 1-64 chars of <c>[A-Za-z0-9_.-]</c>.</summary>
    public static bool IsRoom(string? value) => RoomNames.IsValid(value);

    /// <summary>Call methods (the <c>call</c> frame): the charset and length of room names.</summary>
    public static bool IsMethod(string? value) => IsRoom(value);

    /// <summary>Client message ids: 1-64 chars, no control characters.</summary>
    public static bool IsClientMessageId(string? value) => value is { Length: >= 1 and <= 64 } && !value.Any(char.IsControl);

    private static bool IsIdChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-';
}
