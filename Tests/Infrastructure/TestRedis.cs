using OrleansTabs.Web.Hosting;

namespace OrleansTabs.Tests.Infrastructure;

/// <summary>
/// The Redis every storage-backed test uses: a real server when <c>ORLEANSTABS_TEST_REDIS</c> names one, otherwise one
/// embedded Garnet server for the whole test run. Tests isolate themselves by a unique service id.
/// </summary>
public static class TestRedis
{
    private static readonly Lazy<string> Server = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The StackExchange.Redis configuration string.</summary>
    public static string ConnectionString => Server.Value;

    /// <summary>Which kind of server the run uses, for test output.</summary>
    public static string Kind => Environment.GetEnvironmentVariable("ORLEANSTABS_TEST_REDIS") is { Length: > 0 } ? "redis-server" : "embedded Garnet";

    /// <summary>A fresh service id, so that keys of one test never meet another's.</summary>
    public static string NewServiceId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable("ORLEANSTABS_TEST_REDIS") is { Length: > 0 } external)
        {
            return external;
        }

        // Lives for the test process; the OS reclaims it when the run ends.
        var garnet = EmbeddedRedis.Start(0, dataDirectory: null);
        return garnet.ConnectionString;
    }
}
