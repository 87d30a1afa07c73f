using System.Collections.Immutable;
using System.Text.Json;
using OrleansTabs.Presence;

namespace OrleansTabs.AspNetCore.Protocol;

/// <summary>The <c>presence</c> frames of docs/protocol.md section 6.2: a room's whole state (the answer to <c>who</c>) and its diffs.</summary>
internal static class PresenceFrames
{
    /// <summary>
    /// <c>{"type":"presence","room","state":{"&lt;user&gt;":[tab…]}}</c>, a page: with <c>after</c> when it continues the
    /// page that cursor ended (the client merges it), and <c>next</c> when more pages follow.
    /// </summary>
    public static byte[] State(string room, ImmutableArray<PresentTab> present, string? next = null, string? after = null) => ServerFrames.Write(w =>
    {
        w.WriteString("type", "presence");
        w.WriteString("room", room);
        WriteByUser(w, "state", present);
        if (after is not null)
        {
            w.WriteString("after", after);
        }

        if (next is not null)
        {
            w.WriteString("next", next);
        }
    });

    /// <summary><c>{"type":"presence","room","joins","leaves","online","offline"}</c>.</summary>
    public static byte[] Diff(string room, PresenceDiff diff) => ServerFrames.Write(w =>
    {
        w.WriteString("type", "presence");
        w.WriteString("room", room);
        WriteByUser(w, "joins", diff.Joins);
        WriteByUser(w, "leaves", diff.Leaves);
        WriteUsers(w, "online", diff.Online);
        WriteUsers(w, "offline", diff.Offline);
    });

    private static void WriteByUser(Utf8JsonWriter w, string name, ImmutableArray<PresentTab> tabs)
    {
        w.WriteStartObject(name);
        foreach (var user in tabs.GroupBy(t => t.User, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            w.WriteStartArray(user.Key);
            foreach (var tab in user.OrderBy(t => t.Tab, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("tab", tab.Tab);
                w.WriteString("name", tab.Name ?? tab.User);
                w.WriteString("visibility", tab.Visible ? "visible" : "hidden");
                w.WriteBoolean("focused", tab.Focused);
                w.WriteString("since", tab.Since);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteUsers(Utf8JsonWriter w, string name, ImmutableArray<string> users)
    {
        w.WriteStartArray(name);
        foreach (var user in users.Order(StringComparer.Ordinal))
        {
            w.WriteStringValue(user);
        }

        w.WriteEndArray();
    }
}
