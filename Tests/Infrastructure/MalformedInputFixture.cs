using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrleansTabs.Tests.Infrastructure;

/// <summary>
/// An all-in-one front-end for the malformed-input fuzz: the error storm and frame rate limits lifted (one socket takes
/// every bad frame of a table), and every log entry that carries an exception or is an error recorded.
/// </summary>
public sealed class MalformedInputFixture : IAsyncLifetime
{
    private readonly FailureLog _failures = new();

    public RunningWeb Web { get; private set; } = null!;

    public Uri Server => Web.Address;

    /// <summary>The log entries so far that carry an exception or are errors, as "category: message: exception".</summary>
    public IReadOnlyCollection<string> Failures => _failures.Entries;

    public async Task InitializeAsync()
    {
        var serviceId = TestRedis.NewServiceId("malformed");
        Web = await TestHosts.StartWebAsync("AllInOne", TestHosts.Settings(serviceId, serviceId, new Dictionary<string, string?>
        {
            ["OrleansTabs:Sockets:ErrorLimit"] = "100000",
            ["OrleansTabs:Sockets:FramesPerSecond"] = "100000",
            ["OrleansTabs:Sockets:FrameBurst"] = "100000",
            ["OrleansTabs:Sockets:ResumeWindow"] = "00:00:05",
            ["Logging:LogLevel:OrleansTabs"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        }), configure: services => services.AddSingleton<ILoggerProvider>(_failures));
    }

    public async Task DisposeAsync() => await Web.DisposeAsync();

    private sealed class FailureLog : ILoggerProvider
    {
        public ConcurrentQueue<string> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (exception is not null || logLevel >= LogLevel.Error)
                {
                    entries.Enqueue($"{category}: {formatter(state, exception)}: {exception}");
                }
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MalformedInputCollection : ICollectionFixture<MalformedInputFixture>
{
    public const string Name = "malformed-input";
}
