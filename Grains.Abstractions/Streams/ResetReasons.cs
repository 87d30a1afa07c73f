namespace OrleansTabs.Streams;

/// <summary>The reasons of a <c>reset</c> frame (docs/protocol.md section 3): why a stream cannot be resumed where the client is.</summary>
public static class ResetReasons
{
    /// <summary>The asked offset is no longer retained (or the stream is not one the tab follows).</summary>
    public const string Gap = "gap";

    /// <summary>The stream was rebuilt without its history: a new epoch.</summary>
    public const string Epoch = "epoch";
}
