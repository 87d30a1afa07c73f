using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansTabs.FrontEnds;
using OrleansTabs.Grains.Diagnostics;
using OrleansTabs.Grains.Options;
using OrleansTabs.Grains.Streams;
using OrleansTabs.Presence;
using OrleansTabs.Rooms;
using OrleansTabs.Streams;
using OrleansTabs.Tabs;

namespace OrleansTabs.Grains.Rooms;

/// <summary>
/// A chat room. Reentrant so that posts arriving while a batch is being written join the next batch (group commit):
/// a post is acknowledged only after the batch holding it is in Redis. Offsets are assigned when a batch is written,
/// so a failed write burns none. The retained log is also held in memory for replay and history.
/// </summary>
[Reentrant]
[GrainType("room")]
public sealed partial class RoomGrain(IRoomLog log, IOptions<RoomOptions> options, TimeProvider clock, ILogger<RoomGrain> logger)
    : Grain, IRoomGrain
{
    /// <summary>The tab key of server pushes with an idempotency key (tab keys have the form session/tab/channel).</summary>
    private const string PushTabKey = "push";

    private readonly RoomOptions _options = options.Value;
    private readonly List<StoredMessage> _messages = [];
    private readonly Dictionary<(string TabKey, string ClientId), long> _posted = [];
    private readonly Dictionary<string, Member> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IFrontEndObserver> _observers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task<IFrontEndObserver?>> _resolving = new(StringComparer.Ordinal);
    private List<Pending> _pending = [];
    private readonly Dictionary<(string TabKey, string ClientId), Pending> _unwritten = [];
    private (string FrontEnd, ImmutableArray<string> Connections)[]? _fanOutPlan;
    private bool _flushing;
    private string _room = "";
    private string _epoch = "";
    private long _head;

    private string _stream = "";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _room = this.GetPrimaryKeyString();
        _stream = StreamNames.Room(_room);
        var (epoch, head, messages) = await log.LoadAsync(_room);
        if (epoch is null)
        {
            // No log (a new room, or its history was lost): a fresh epoch tells resuming clients to reset.
            _epoch = StreamLog.NewEpoch();
            _head = 0;
        }
        else
        {
            _epoch = epoch;
            _head = head;
            _messages.AddRange(messages);
            foreach (var m in messages.Where(m => m.TabKey is not null && m.ClientId is not null))
            {
                _posted[(m.TabKey!, m.ClientId!)] = m.Offset;
            }
        }

        foreach (var (tabKey, location) in await log.LoadMembersAsync(_room))
        {
            _members[tabKey] = Member.Parse(location);
        }
    }

    public async Task<StreamPosition> JoinAsync(string tabKey, ConnectionRef? connection, TabPresence presence)
    {
        var member = connection is null ? Member.Disconnected : new Member(connection.FrontEnd, connection.ConnectionId);
        if (connection is not null)
        {
            _observers[connection.FrontEnd] = connection.Observer;
        }

        OnMemberChanged(tabKey, member, presence);
        if (!_members.TryGetValue(tabKey, out var current) || current != member)
        {
            _members[tabKey] = member;
            _fanOutPlan = null;
            await PersistMemberAsync(tabKey, member.ToString());
        }

        return Head();
    }

    public async Task<StreamPosition> LeaveAsync(string tabKey)
    {
        OnMemberChanged(tabKey, Member.Disconnected, null);
        if (_members.Remove(tabKey))
        {
            _fanOutPlan = null;
            await PersistMemberAsync(tabKey, null);
        }

        return Head();
    }

    public async Task DetachAsync(string tabKey, string connectionId)
    {
        if (_members.TryGetValue(tabKey, out var member) && member.ConnectionId == connectionId)
        {
            OnMemberChanged(tabKey, Member.Disconnected, null);
            _members[tabKey] = Member.Disconnected;
            _fanOutPlan = null;
            await PersistMemberAsync(tabKey, Member.Disconnected.ToString());
        }
    }

    public Task<PostResult> PostAsync(PostRequest request) =>
        PostOnceAsync(StoredMessage.Chat(request.TabKey, request.ClientId, request.User, request.Tab, request.Text, clock.GetUtcNow(), request.Name));

    /// <summary>Appends a message keyed by (tab key, client id) unless that key was posted already or is being written.</summary>
    private Task<PostResult> PostOnceAsync(StoredMessage message)
    {
        var key = (message.TabKey!, message.ClientId!);
        if (_posted.TryGetValue(key, out var offset))
        {
            Redeliver(offset);
            return Task.FromResult(new PostResult(_epoch, offset, Duplicate: true));
        }

        // A resend racing its original within one batch waits for the same write.
        if (_unwritten.TryGetValue(key, out var twin))
        {
            return twin.Done.Task.ContinueWith(t => t.Result with { Duplicate = true }, TaskScheduler.Current);
        }

        return Enqueue(message);
    }

    public async Task<int?> PublishAsync(string payloadJson, string? idempotencyKey = null)
    {
        if (_members.Count == 0 && _head == 0)
        {
            return null;
        }

        await PublishMessageAsync(payloadJson, idempotencyKey);
        return _members.Values.Count(m => m.ConnectionId is not null);
    }

    public Task<PostResult> PublishMessageAsync(string payloadJson, string? idempotencyKey = null)
    {
        // With a key, deduplicated exactly like a chat post, under a tab key no tab has.
        var message = StoredMessage.Pushed(payloadJson, idempotencyKey is null ? null : PushTabKey, idempotencyKey, clock.GetUtcNow());
        return idempotencyKey is null ? Enqueue(message) : PostOnceAsync(message);
    }

    private StreamPosition Head() => new(_epoch, _head);

    private Task<PostResult> Enqueue(StoredMessage message)
    {
        var pending = new Pending(message);
        _pending.Add(pending);
        if (message.TabKey is not null && message.ClientId is not null)
        {
            _unwritten[(message.TabKey, message.ClientId)] = pending;
        }

        if (!_flushing)
        {
            // Set before the call: a flush that completes synchronously clears it again in its finally.
            _flushing = true;
            FlushAsync().Ignore();
        }

        return pending.Done.Task;
    }

    /// <summary>Writes pending posts in batches until none is left; each batch is one Redis transaction.</summary>
    private async Task FlushAsync()
    {
        try
        {
            while (_pending.Count > 0)
            {
                var batch = _pending.Count <= _options.MaxBatch ? _pending : _pending.GetRange(0, _options.MaxBatch);
                _pending = _pending.Count <= _options.MaxBatch ? [] : _pending.GetRange(_options.MaxBatch, _pending.Count - _options.MaxBatch);
                await WriteBatchAsync(batch);
            }
        }
        finally
        {
            _flushing = false;
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        try
        {
            // The log answers resends it recorded (beyond what this activation remembers) and writes nothing then: they
            // are acked with their stored offsets and the rest of the batch is numbered and written again.
            var pending = batch;
            while (pending.Count > 0 && await AppendAsync(pending) is { Count: > 0 } known)
            {
                pending = AnswerResends(pending, known);
            }
        }
        finally
        {
            foreach (var pending in batch)
            {
                if (pending.Message is { TabKey: { } tabKey, ClientId: { } clientId })
                {
                    _unwritten.Remove((tabKey, clientId));
                }
            }
        }
    }

    /// <summary>Writes a batch and completes its posts; or returns the resends the log found (and nothing was written).</summary>
    private async Task<IReadOnlyList<KnownPost>> AppendAsync(List<Pending> batch)
    {
        var stored = new List<StoredMessage>(batch.Count);
        var offset = _head;
        foreach (var pending in batch)
        {
            stored.Add(pending.Message with { Offset = ++offset });
        }

        var retained = Retain(stored);
        IReadOnlyList<KnownPost> known;
        using (var write = StartWrite(batch))
        {
            try
            {
                var started = clock.GetTimestamp();
                known = await log.AppendAsync(_room, _epoch, _head, stored, retained);
                RoomMetrics.Append(stored.Count, clock.GetElapsedTime(started));
            }
            catch (Exception ex)
            {
                write?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
                FailBatch(batch, ex);
                return [];
            }
        }

        if (known.Count > 0)
        {
            return known;
        }

        Commit(batch, stored, offset, retained);
        return [];
    }

    /// <summary>The batch could not be written: every post in it fails, and the activation starts over from the log.</summary>
    private void FailBatch(List<Pending> batch, Exception ex)
    {
        LogAppendFailed(logger, ex, _room, batch.Count);
        foreach (var pending in batch)
        {
            pending.Done.TrySetException(ex);
        }

        // What is stored may be ahead of this activation (a write that committed though its reply was lost, or
        // another activation): start over from the log, where resends find their messages and are not posted twice.
        DeactivateOnIdle();
    }

    /// <summary>The batch is in Redis: it becomes the head, fans out, and its posts are acked.</summary>
    private void Commit(List<Pending> batch, List<StoredMessage> stored, long offset, int retained)
    {
        _head = offset;
        _messages.AddRange(stored);
        _messages.RemoveRange(0, _messages.Count - retained);
        foreach (var m in stored.Where(m => m.TabKey is not null && m.ClientId is not null))
        {
            _posted[(m.TabKey!, m.ClientId!)] = m.Offset;
        }

        PruneDedup();
        using (GrainTracing.Source.StartActivity("room.fanout"))
        {
            FanOut([.. stored.Select(ToStreamMessage)]);
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Done.TrySetResult(new PostResult(_epoch, stored[i].Offset, Duplicate: false));
        }
    }

    /// <summary>
    /// The span of one group-commit write, a child of the post that started the flush and linked to the others it
    /// carries, so each send's trace reaches the write that made it durable. Null when nobody listens.
    /// </summary>
    private Activity? StartWrite(List<Pending> batch)
    {
        if (!GrainTracing.Source.HasListeners())
        {
            return null;
        }

        var parent = Activity.Current?.Context ?? default;
        var links = batch.Where(p => p.Caller != default && p.Caller != parent).Select(p => new ActivityLink(p.Caller)).ToList();
        var write = GrainTracing.Source.StartActivity("room.write", ActivityKind.Internal, parent, links: links);
        write?.SetTag("orleanstabs.room", _room);
        write?.SetTag("orleanstabs.batch", batch.Count);
        return write;
    }

    /// <summary>Acks the resends with their original offsets; returns the posts still to be written, in order.</summary>
    private List<Pending> AnswerResends(List<Pending> batch, IReadOnlyList<KnownPost> known)
    {
        var answered = new HashSet<int>();
        foreach (var (index, offset) in known)
        {
            // Not remembered in memory again: the log's window alone decides how long an id is known.
            batch[index].Done.TrySetResult(new PostResult(_epoch, offset, Duplicate: true));
            answered.Add(index);
            Redeliver(offset);
        }

        return [.. batch.Where((_, i) => !answered.Contains(i))];
    }

    /// <summary>How many entries stay after appending <paramref name="added"/>: the newest MaxMessages younger than MaxAge.</summary>
    private int Retain(List<StoredMessage> added)
    {
        var cutoff = clock.GetUtcNow() - _options.MaxAge;
        var total = _messages.Count + added.Count;
        var expired = _messages.TakeWhile(m => m.Timestamp < cutoff).Count();
        return Math.Min(_options.MaxMessages, total - expired);
    }

    private void PruneDedup()
    {
        var oldest = OldestRetained();
        if (_posted.Count > _options.MaxMessages * 2)
        {
            foreach (var key in _posted.Where(p => p.Value < oldest).Select(p => p.Key).ToList())
            {
                _posted.Remove(key);
            }
        }
    }

    private StreamMessage ToStreamMessage(StoredMessage m) =>
        m.PayloadJson is { } payload
            ? StreamMessage.Pushed(_stream, _epoch, m.Offset, m.Id, payload, m.Timestamp, _room)
            : StreamMessage.Chat(_stream, _epoch, m.Offset, m.Id, _room, m.ClientId, m.User, m.Tab, m.Text, m.Timestamp, m.Name);

    private sealed class Pending(StoredMessage message)
    {
        public StoredMessage Message { get; } = message;

        /// <summary>The span of the call that posted it, when traced (read only when someone listens).</summary>
        public ActivityContext Caller { get; } = GrainTracing.Source.HasListeners() ? Activity.Current?.Context ?? default : default;

        public TaskCompletionSource<PostResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
