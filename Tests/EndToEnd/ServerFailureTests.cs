using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansTabs.Grains.Rooms;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>
/// The server's own failures are reported, never held against the client: a send the room could not store gets
/// <c>error</c> <c>internal</c> (send it again with the same id), and any number of those leave the socket open,
/// unlike refused frames, of which more than the error limit close it with 1008 (docs/protocol.md section 5).
/// </summary>
public sealed class ServerFailureTests
{
    [Fact]
    public async Task SendsTheRoomCouldNotStoreAreInternalErrorsThatNeverCloseTheSocket()
    {
        var serviceId = TestRedis.NewServiceId("fail");
        var settings = TestHosts.Settings(serviceId, serviceId, new Dictionary<string, string?> { ["OrleansTabs:Sockets:ErrorLimit"] = "5" });
        var web = await TestHosts.StartWebAsync("AllInOne", settings, configure: services =>
            services.AddSingleton<IRoomLog>(sp => new BrokenRoomsLog(ActivatorUtilities.CreateInstance<RedisRoomLog>(sp))));
        await using (web)
        {
            using var session = await TestSession.SignInAsync(web.Address);
            var (tab, _) = await session.OpenAsync("chat");
            await using (tab)
            {
                var broken = BrokenRoomsLog.Prefix + Guid.NewGuid().ToString("N")[..8];
                await tab.JoinAsync(broken);

                // Four times the error limit, one after the other: each is the server's failure, not the client's.
                for (var i = 0; i < 20; i++)
                {
                    await tab.SendAsync(new { type = "send", room = broken, id = $"m{i}", text = "not stored" });
                    var error = await tab.ExpectAsync("error");
                    Assert.Equal("internal", error.GetProperty("code").GetString());
                    Assert.Equal($"m{i}", error.GetProperty("ref").GetString());
                }

                Assert.False(tab.Closed.IsCompleted);
                var fine = ChatStreams.NewRoom();
                await tab.JoinAsync(fine);
                var ack = await tab.SendChatAsync(fine, "ok1", "stored");
                Assert.Equal(JsonValueKind.Number, ack.GetProperty("offset").ValueKind);
            }
        }
    }

    /// <summary>The Redis room log, except that rooms named with <see cref="Prefix"/> cannot be written.</summary>
    private sealed class BrokenRoomsLog(IRoomLog inner) : IRoomLog
    {
        public const string Prefix = "broken-";

        public Task<(string? Epoch, long Head, List<StoredMessage> Messages)> LoadAsync(string room) => inner.LoadAsync(room);

        public Task<IReadOnlyList<KnownPost>> AppendAsync(string room, string epoch, long expectedHead, IReadOnlyList<StoredMessage> batch, int keep) =>
            room.StartsWith(Prefix, StringComparison.Ordinal)
                ? Task.FromException<IReadOnlyList<KnownPost>>(new TimeoutException("The room's log could not be written."))
                : inner.AppendAsync(room, epoch, expectedHead, batch, keep);

        public Task<Dictionary<string, string>> LoadMembersAsync(string room) => inner.LoadMembersAsync(room);

        public Task SetMembersAsync(string room, IReadOnlyCollection<KeyValuePair<string, string?>> locations) => inner.SetMembersAsync(room, locations);
    }
}
