using System.Text;
using System.Text.Json;
using OrleansTabs.AspNetCore.Protocol;
using OrleansTabs.Grains.Json;
using OrleansTabs.Grains.Rooms;

namespace OrleansTabs.Tests.Protocol;

/// <summary>Frames and stored messages are UTF-8 JSON escaped only where JSON requires it, and read back as written.</summary>
public sealed class JsonEncodingTests
{
    private const string Text = "<b>Zoë & Jürgen</b> 😀 \"quoted\" back\\slash\nline\u0001";

    [Fact]
    public void AFrameKeepsHtmlCharactersAndNonAsciiAsUtf8()
    {
        var frame = ServerFrames.Write(w => w.WriteString("text", Text));
        var json = Encoding.UTF8.GetString(frame);

        Assert.Contains("<b>Zoë & Jürgen</b> 😀", json, StringComparison.Ordinal);
        Assert.Contains("\\\"quoted\\\"", json, StringComparison.Ordinal);
        Assert.Contains("back\\\\slash\\nline\\u0001", json, StringComparison.Ordinal);
        Assert.Equal(Text, JsonDocument.Parse(frame).RootElement.GetProperty("text").GetString());

        // UTF-8 of the text plus its five escapes and the object around it: no character grew to a \uXXXX escape.
        Assert.Equal(Encoding.UTF8.GetByteCount(Text) + 1 + 1 + 1 + 1 + 5 + "{\"text\":\"\"}".Length, frame.Length);
    }

    [Fact]
    public void AStoredMessageIsWrittenAsUtf8AndReadBack()
    {
        var message = StoredMessage.Chat("tab-key", "m1", "user", "tab", Text, DateTimeOffset.UnixEpoch, name: "Zoë");

        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, StoredMessageJson.Stored.StoredMessage);

        Assert.Contains("<b>Zoë & Jürgen</b> 😀", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(message, JsonSerializer.Deserialize(bytes, StoredMessageJson.Default.StoredMessage));
    }

    [Theory]
    [InlineData('"', true)]
    [InlineData('\\', true)]
    [InlineData('\u001f', true)]
    [InlineData('<', false)]
    [InlineData('\u00e9', false)]
    [InlineData('\u2028', false)]
    public void OnlyQuotesBackslashesAndControlCharactersAreEscaped(char c, bool escaped) =>
        Assert.Equal(escaped, MinimalJsonEncoder.Instance.WillEncode(c));
}
