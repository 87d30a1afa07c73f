using System.Buffers.Binary;
using System.Security.Cryptography;

namespace OrleansTabs.Load.Client;

/// <summary>RFC 6455 framing as a client needs it: server frame headers in, masked client frames out.</summary>
internal static class WebSocketFrames
{
    /// <summary>Reads a frame header; false if <paramref name="data"/> does not hold all of it yet.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> data, out bool fin, out int opcode, out int headerLength, out long payloadLength)
    {
        fin = false;
        opcode = 0;
        headerLength = 2;
        payloadLength = 0;
        if (data.Length < 2)
        {
            return false;
        }

        fin = (data[0] & 0x80) != 0;
        opcode = data[0] & 0x0F;
        payloadLength = data[1] & 0x7F;
        if (payloadLength == 126)
        {
            headerLength = 4;
            if (data.Length < 4)
            {
                return false;
            }

            payloadLength = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        }
        else if (payloadLength == 127)
        {
            headerLength = 10;
            if (data.Length < 10)
            {
                return false;
            }

            payloadLength = (long)BinaryPrimitives.ReadUInt64BigEndian(data[2..]);
        }

        if (payloadLength > int.MaxValue / 2)
        {
            throw new IOException("Frame too large.");
        }

        return true;
    }

    /// <summary>Writes a final, masked client frame into <paramref name="frame"/> (payload + 14 bytes); returns its length.</summary>
    public static int Write(byte[] frame, int opcode, ReadOnlySpan<byte> payload)
    {
        frame[0] = (byte)(0x80 | opcode);
        int header;
        if (payload.Length < 126)
        {
            frame[1] = (byte)(0x80 | payload.Length);
            header = 2;
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
            header = 4;
        }
        else
        {
            frame[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
            header = 10;
        }

        Span<byte> mask = frame.AsSpan(header, 4);
        RandomNumberGenerator.Fill(mask);
        var body = frame.AsSpan(header + 4, payload.Length);
        for (var i = 0; i < payload.Length; i++)
        {
            body[i] = (byte)(payload[i] ^ mask[i & 3]);
        }

        return header + 4 + payload.Length;
    }
}
