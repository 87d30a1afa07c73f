using System.Text.Json;

namespace OrleansTabs.Peers.KestrelBroadcast;

/// <summary>A client frame: the fields of <c>ping</c>, <c>join</c> and <c>send</c>.</summary>
public sealed record ClientFrame(string? Type, string? Id, string? Room, string? Text)
{
    /// <summary>Options for reading client frames (camelCase names).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
