using Microsoft.Playwright;
using OrleansTabs.Tests.Infrastructure;

namespace OrleansTabs.Tests.Browser;

/// <summary>
/// One all-in-one front-end with browser-friendly timers and one headless Debian Chromium driven by Playwright,
/// shared by the browser tests. Nothing starts when Chromium is missing (the tests are skipped then).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] LaunchArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic",
    ];

    private IPlaywright? _playwright;

    public RunningWeb Web { get; private set; } = null!;

    public Uri Server => Web.Address;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The browser host's settings: a 2 s heartbeat, so a silent socket is noticed within seconds.</summary>
    public static Dictionary<string, string?> Overrides(IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["OrleansTabs:Sockets:Heartbeat"] = "00:00:02",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Starts another front-end (its own cluster) with <see cref="Overrides"/> plus <paramref name="extra"/>.</summary>
    public static Task<RunningWeb> StartWebAsync(string prefix, IDictionary<string, string?>? extra = null)
    {
        var serviceId = TestRedis.NewServiceId(prefix);
        return TestHosts.StartWebAsync("AllInOne", TestHosts.Settings(serviceId, serviceId, Overrides(extra)));
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            return;
        }

        Assertions.SetDefaultExpectTimeout((float)Deadline.Default.TotalMilliseconds);
        Web = await StartWebAsync("browser");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = LaunchArgs });
    }

    public async Task DisposeAsync()
    {
        if (_playwright is null)
        {
            return;
        }

        await Browser.CloseAsync();
        _playwright.Dispose();
        await Web.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

/// <summary>A browser test: skipped, with the install command, when Debian's Chromium is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!File.Exists(BrowserFixture.ChromiumPath))
        {
            Skip = $"Chromium not found at {BrowserFixture.ChromiumPath}: apt-get install -y chromium";
        }
    }
}
