using System.Collections.Concurrent;
using OrleansTabs.FrontEnds;
using OrleansTabs.Streams;

namespace OrleansTabs.AspNetCore.FrontEnd;

/// <summary>The sockets this front-end holds, by connection id, and the latest value of each dashboard topic.</summary>
internal sealed class LocalConnections
{
    private readonly ConcurrentDictionary<string, TabSocket> _sockets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TabSocket> _dashboards = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TopicSnapshot> _topics = new(StringComparer.Ordinal);

    /// <summary>
    /// Every socket held here, enumerated without a lock or a copy (<c>ConcurrentDictionary.Values</c> takes every
    /// lock and copies all the sockets, on every sweep); sockets added or removed meanwhile may or may not be seen.
    /// </summary>
    public IEnumerable<TabSocket> All
    {
        get
        {
            foreach (var (_, socket) in _sockets)
            {
                yield return socket;
            }
        }
    }

    /// <summary>The dashboard sockets held here: a topic update goes to these, not through every chat socket.</summary>
    public IEnumerable<TabSocket> Dashboards
    {
        get
        {
            foreach (var (_, socket) in _dashboards)
            {
                yield return socket;
            }
        }
    }

    /// <summary>Whether no socket is held here.</summary>
    public bool IsEmpty => _sockets.IsEmpty;

    public void Add(TabSocket socket)
    {
        _sockets[socket.ConnectionId] = socket;
        if (socket.Address.Channel == Channels.Dashboard)
        {
            _dashboards[socket.ConnectionId] = socket;
        }
    }

    public void Remove(TabSocket socket)
    {
        _sockets.TryRemove(new KeyValuePair<string, TabSocket>(socket.ConnectionId, socket));
        _dashboards.TryRemove(new KeyValuePair<string, TabSocket>(socket.ConnectionId, socket));
    }

    public TabSocket? Find(string connectionId) => _sockets.GetValueOrDefault(connectionId);

    /// <summary>
    /// The most topics a front-end remembers for dashboards that connect later: every topic the cluster admits
    /// (<see cref="TopicNames.MaxTopics"/>) and <c>cluster</c>.
    /// </summary>
    public const int MaxTopics = TopicNames.MaxTopics + 1;

    /// <summary>
    /// Remembers a topic value so that dashboards connecting later get it right after <c>welcome</c>. The cluster admits
    /// no more topics than fit here; should a directory that restarted admit others meanwhile, those are forwarded live
    /// but not remembered.
    /// </summary>
    public void SetTopic(TopicSnapshot snapshot)
    {
        if (_topics.Count >= MaxTopics && snapshot.Topic != StreamNames.ClusterTopic && !_topics.ContainsKey(snapshot.Topic))
        {
            return;
        }

        _topics.AddOrUpdate(snapshot.Topic, snapshot, (_, current) => current.Timestamp > snapshot.Timestamp ? current : snapshot);
    }

    /// <summary>The latest known value of <paramref name="topic"/>, or null.</summary>
    public TopicSnapshot? Topic(string topic) => _topics.GetValueOrDefault(topic);

    /// <summary>The latest known value of every topic.</summary>
    public ICollection<TopicSnapshot> Topics => _topics.Values;

    /// <summary>Counts for the lease renewal: connected tabs per channel and distinct sessions.</summary>
    public FrontEndStats Count(double framesInPerSecond, double framesOutPerSecond)
    {
        int chat = 0, dashboard = 0;
        var sessions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var socket in _sockets.Values)
        {
            if (!socket.Accepted || socket.CloseCode is not null)
            {
                continue;
            }

            if (socket.Address.Channel == Channels.Chat)
            {
                chat++;
            }
            else
            {
                dashboard++;
            }

            sessions.Add(socket.Address.Session);
        }

        return new FrontEndStats(chat, dashboard, sessions.Count, framesInPerSecond, framesOutPerSecond);
    }
}
