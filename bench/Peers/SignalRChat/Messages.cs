namespace OrleansTabs.Peers.SignalRChat;

/// <summary>The result of <c>Join</c>.</summary>
public sealed record Joined(string Room, string Stream, string Epoch, long Offset);

/// <summary>The result of <c>Send</c>.</summary>
public sealed record Ack(string Id, string Stream, long Offset);

/// <summary>Who sent a message.</summary>
public sealed record Sender(string User, string Tab);

/// <summary>A chat message with the fields of an OrleansTabs <c>message</c> frame.</summary>
public sealed record ChatMessage(string Stream, string Epoch, long Offset, string Id, string ClientId, Sender From, string Room, string Text, DateTimeOffset Ts);
