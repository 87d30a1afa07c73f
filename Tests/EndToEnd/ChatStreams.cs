using System.Text.Json;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>Stream helpers for tests: join, send and collect messages of a room stream, wait for a topic's snapshot.</summary>
public static class ChatStreams
{
    public static string NewRoom() => "room-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>The next <c>snapshot</c> of <paramref name="topic"/>, skipping those of other topics.</summary>
    public static async Task<JsonElement> SnapshotAsync(this TabClient tab, string topic)
    {
        while (true)
        {
            var snapshot = await tab.ExpectAsync("snapshot");
            if (snapshot.GetProperty("topic").GetString() == topic)
            {
                return snapshot;
            }
        }
    }

    public static async Task<JsonElement> JoinAsync(this TabClient tab, string room)
    {
        await tab.SendAsync(new { type = "join", room });
        return await tab.ExpectAsync("joined");
    }

    /// <summary>Sends and waits for the ack of this id.</summary>
    public static async Task<JsonElement> SendChatAsync(this TabClient tab, string room, string id, string text)
    {
        await tab.SendAsync(new { type = "send", id, room, text });
        while (true)
        {
            var ack = await tab.ExpectAsync("ack");
            if (ack.GetProperty("id").GetString() == id)
            {
                return ack;
            }
        }
    }

    /// <summary>Collects <paramref name="count"/> message frames of a stream, in arrival order.</summary>
    public static async Task<List<JsonElement>> MessagesAsync(this TabClient tab, string stream, int count)
    {
        var messages = new List<JsonElement>();
        while (messages.Count < count)
        {
            var frame = await tab.ExpectAsync("message");
            if (frame.GetProperty("stream").GetString() == stream)
            {
                messages.Add(frame);
            }
        }

        return messages;
    }

    /// <summary>Sends a resume for one stream and returns (frames before resumed, resumed).</summary>
    public static async Task<(List<JsonElement> Frames, JsonElement Resumed)> ResumeAsync(this TabClient tab, string stream, string epoch, long offset)
    {
        await tab.SendAsync(new { type = "resume", streams = new Dictionary<string, object> { [stream] = new { epoch, offset } } });
        var frames = new List<JsonElement>();
        while (true)
        {
            var frame = await tab.NextAsync();
            if (frame.GetProperty("type").GetString() == "resumed")
            {
                return (frames, frame);
            }

            frames.Add(frame);
        }
    }

    public static long Offset(this JsonElement frame) => frame.GetProperty("offset").GetInt64();
}
