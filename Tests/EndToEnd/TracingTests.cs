using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>With an OTLP endpoint configured, a chat send is one trace from the socket frame to the room's write.</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task AChatSendIsOneTraceFromTheFrameToTheRoomWrite()
    {
        var spans = new SpanCollection();
        var serviceId = TestRedis.NewServiceId("trace");
        var settings = TestHosts.Settings(serviceId, serviceId, new Dictionary<string, string?>
        {
            // Nothing listens there: the OTLP export fails quietly; the in-memory exporter beside it sees every span.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{TestHosts.FreePort()}",
        });
        var web = await TestHosts.StartWebAsync("AllInOne", settings, configure: services =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        await using (web)
        {
            using var session = await TestSession.SignInAsync(web.Address);
            var room = ChatStreams.NewRoom();
            var (tab, _) = await session.OpenAsync("chat");
            await using (tab)
            {
                await tab.JoinAsync(room);
                await tab.SendChatAsync(room, "m1", "traced");
            }

            Activity? send = null;
            Activity? write = null;
            await Deadline.UntilAsync(
                () =>
                {
                    var all = spans.Snapshot();
                    send = all.FirstOrDefault(s => s.OperationName == "chat.send" && Equals(s.GetTagItem("orleanstabs.room"), room));
                    write = send is null ? null : all.FirstOrDefault(s => s.OperationName == "room.write" && s.TraceId == send.TraceId);
                    return write is not null;
                },
                "the send's span and the room's write share a trace");

            Assert.Null(send!.ParentId);
            Assert.Equal("acked", send.GetTagItem("orleanstabs.outcome"));
            Assert.Equal(room, write!.GetTagItem("orleanstabs.room"));
            var orleans = spans.Snapshot().Where(s => s.TraceId == send.TraceId && s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(orleans);
            Assert.Contains(spans.Snapshot(), s => s.TraceId == send.TraceId && s.OperationName == "room.fanout");
        }
    }

    /// <summary>The exported spans; the exporter adds from the threads that end them while the test reads.</summary>
    private sealed class SpanCollection : ICollection<Activity>
    {
        private readonly Lock _gate = new();
        private readonly List<Activity> _spans = [];

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _spans.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public List<Activity> Snapshot()
        {
            lock (_gate)
            {
                return [.. _spans];
            }
        }

        public void Add(Activity item)
        {
            lock (_gate)
            {
                _spans.Add(item);
            }
        }

        public void Clear()
        {
            lock (_gate)
            {
                _spans.Clear();
            }
        }

        public bool Contains(Activity item) => Snapshot().Contains(item);

        public void CopyTo(Activity[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

        public bool Remove(Activity item)
        {
            lock (_gate)
            {
                return _spans.Remove(item);
            }
        }

        public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
