namespace OrleansTabs.Web.Auth;

/// <summary>The rule for a session's user name, whichever way it signed in.</summary>
public static class UserNames
{
    /// <summary>The trimmed name if it is 1-64 printable characters, else null.</summary>
    public static string? Valid(string? name) =>
        name?.Trim() is { Length: >= 1 and <= 64 } trimmed && !trimmed.Any(char.IsControl) ? trimmed : null;
}
