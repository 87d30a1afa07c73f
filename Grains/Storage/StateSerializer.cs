using Orleans.Serialization;
using Orleans.Storage;

namespace OrleansTabs.Grains.Storage;

/// <summary>
/// How session, tab and user state is written to Redis: Orleans' binary serializer (the grain state classes are
/// <c>[GenerateSerializer]</c>), behind a one-byte format marker. State is written on every connect and join, so its
/// format is on the connect's path, and the binary format costs far less than JSON to write and read. State stored as
/// JSON (it starts with <c>{</c>) is still read.
/// </summary>
/// <param name="serializer">Orleans' serializer.</param>
/// <param name="json">The host's default grain state serializer (JSON), kept to read older state.</param>
public sealed class StateSerializer(Serializer serializer, IGrainStorageSerializer json) : IGrainStorageSerializer
{
    private const byte BinaryMarker = 0x01;

    private readonly OrleansGrainStorageSerializer _binary = new(serializer);

    public BinaryData Serialize<T>(T? input)
    {
        var body = _binary.Serialize(input).ToMemory();
        var bytes = new byte[body.Length + 1];
        bytes[0] = BinaryMarker;
        body.Span.CopyTo(bytes.AsSpan(1));
        return new BinaryData(bytes);
    }

    public T? Deserialize<T>(BinaryData input)
    {
        var bytes = input.ToMemory();
        return bytes.Length > 0 && bytes.Span[0] == BinaryMarker
            ? _binary.Deserialize<T>(new BinaryData(bytes[1..]))
            : json.Deserialize<T>(input);
    }
}
