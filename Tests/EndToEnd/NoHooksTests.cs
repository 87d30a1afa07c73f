using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.EndToEnd;

/// <summary>A host that added no hooks: everything is allowed, and every call is an unknown method.</summary>
[Collection(AllInOneCollection.Name)]
public sealed class NoHooksTests(AllInOneFixture fixture)
{
    [Fact]
    public async Task WithNoHandlerEveryCallIsAnUnknownMethod()
    {
        using var session = await TestSession.SignInAsync(fixture.Server);
        var (client, _) = await session.OpenAsync("chat");
        await using (client)
        {
            await client.SendAsync(new { type = "call", id = "c1", method = "anything" });
            var error = await client.ExpectAsync("error");
            Assert.Equal("unknown_method", error.GetProperty("code").GetString());
            Assert.Equal("c1", error.GetProperty("ref").GetString());
            await client.JoinAsync("locked-" + TabClient.NewId()[..8]);
        }
    }
}
