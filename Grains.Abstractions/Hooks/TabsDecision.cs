namespace OrleansTabs;

/// <summary>An authorizer's answer: allowed, or denied with an optional message for the client.</summary>
public sealed record TabsDecision
{
    private static readonly TabsDecision Allowed = new(true, null);

    private TabsDecision(bool isAllowed, string? message)
    {
        IsAllowed = isAllowed;
        Message = message;
    }

    /// <summary>Allows (the same instance every time).</summary>
    public static TabsDecision Allow => Allowed;

    /// <summary><see cref="Allow"/> as a completed task, for authorizers that decide without waiting.</summary>
    public static ValueTask<TabsDecision> AllowAsync => new(Allowed);

    /// <summary>Whether the action may go on.</summary>
    public bool IsAllowed { get; }

    /// <summary>Why it was denied, as the client sees it (an <c>error</c> frame's <c>message</c>, a problem's <c>detail</c>); null for a generic one.</summary>
    public string? Message { get; }

    /// <summary>Denies, with a message the client sees.</summary>
    public static TabsDecision Deny(string? message = null) => new(false, message);

    /// <summary><see cref="Deny"/> as a completed task, for authorizers that decide without waiting.</summary>
    public static ValueTask<TabsDecision> DenyAsync(string? message = null) => new(Deny(message));
}
