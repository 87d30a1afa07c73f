using System.Text;
using OrleansTabs.Presence;
using OrleansTabs.Streams;

namespace OrleansTabs.Grains.Streams;

/// <summary>
/// The bytes a message or presence entry takes in a frame, as the front-end encodes it (UTF-8, escaped only where
/// JSON requires): what <see cref="ReplyBudget"/> counts. The field names, numbers and punctuation are a fixed
/// allowance; the strings are counted as UTF-8.
/// </summary>
internal static class ReplySize
{
    /// <summary>The field names, offset, timestamp and punctuation of a <c>message</c> frame, with room to spare.</summary>
    private const int MessageFields = 192;

    /// <summary>The field names, state, timestamp and punctuation of a presence entry, with room to spare.</summary>
    private const int PresenceFields = 128;

    public static int Of(StreamMessage m) =>
        MessageFields + m.Stream.Length + m.Epoch.Length + m.Id.Length
        + Utf8(m.ClientId) + Utf8(m.FromUser) + Utf8(m.FromName ?? m.FromUser) + Utf8(m.FromTab) + Utf8(m.Room)
        + Utf8(m.Text) + Utf8(m.PayloadJson);

    public static int Of(PresentTab t) => PresenceFields + Utf8(t.User) + Utf8(t.Name ?? t.User) + t.Tab.Length;

    private static int Utf8(string? s) => s is null ? 0 : Encoding.UTF8.GetByteCount(s);
}
