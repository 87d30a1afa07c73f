using OrleansTabs.Grains.Json;

namespace OrleansTabs.AspNetCore.Auth;

/// <summary>The rules for a session's user (its subject) and display name, whichever way it signed in.</summary>
public static class UserNames
{
    /// <summary>The trimmed name if it is 1-64 printable characters, else null.</summary>
    public static string? Valid(string? name) =>
        name?.Trim() is { Length: >= 1 and <= 64 } trimmed && !trimmed.Any(char.IsControl) && !JsonText.HasLoneSurrogate(trimmed) ? trimmed : null;

    /// <summary>The subject if it is 1-256 printable characters, else null. A subject is compared as is, never trimmed.</summary>
    public static string? ValidSubject(string? subject) =>
        subject is { Length: >= 1 and <= 256 } && !subject.Any(char.IsControl) && !JsonText.HasLoneSurrogate(subject) && subject.Trim().Length == subject.Length ? subject : null;
}
