namespace OrleansTabs.Peers.KestrelBroadcast;

/// <summary>A chat room: its members and an in-memory offset counter (no history, no durability).</summary>
public sealed class Room(string name, string epoch)
{
    private readonly Lock _gate = new();
    private ChatConnection[] _members = [];
    private long _offset;

    /// <summary>The room's name.</summary>
    public string Name { get; } = name;

    /// <summary>The room's stream name.</summary>
    public string Stream { get; } = "room:" + name;

    /// <summary>The epoch of this process's offsets.</summary>
    public string Epoch { get; } = epoch;

    /// <summary>Adds a member (once) and returns the head offset.</summary>
    public long Join(ChatConnection member)
    {
        lock (_gate)
        {
            if (Array.IndexOf(_members, member) < 0)
            {
                _members = [.. _members, member];
            }

            return _offset;
        }
    }

    /// <summary>Removes a member.</summary>
    public void Leave(ChatConnection member)
    {
        lock (_gate)
        {
            _members = [.. _members.Where(m => m != member)];
        }
    }

    /// <summary>Appends a message: the next offset, encoded once, queued to every member in offset order.</summary>
    public long Publish(string clientId, string user, string tab, string text)
    {
        lock (_gate)
        {
            // Under the lock, so that concurrent senders cannot reorder offsets on any member's queue.
            var offset = ++_offset;
            var frame = Frames.Message(this, offset, clientId, user, tab, text);
            foreach (var member in _members)
            {
                member.Send(frame);
            }

            return offset;
        }
    }
}
