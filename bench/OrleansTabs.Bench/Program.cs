using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OrleansTabs.Bench;
using OrleansTabs.Web.Hosting;

// Side-by-side benchmarks in one run, on one all-in-one host each (embedded Garnet, real Kestrel sockets on loopback).
// Figures are reported as ratios between the variants of one run, since the machine is shared and noisy.
var tabs = ArgInt("--tabs", 200);
var messages = ArgInt("--messages", 300);
var senders = ArgInt("--senders", 50);
var perSender = ArgInt("--per-sender", 20);

// --server <url>: drive a server that runs as its own process (to profile it alone) instead of in-process hosts.
var external = Array.IndexOf(args, "--server") is >= 0 and var at && at + 1 < args.Length ? new Uri(args[at + 1]) : null;

if (ArgInt("--append", 0) is > 0 and var appends)
{
    // The room log's append alone (no host, no sockets): time and CPU per append by batch size.
    await AppendBench.RunAsync([1, 5, 20, 100], appends);
    return;
}

if (ArgInt("--connect-only", 0) is > 0 and var connectTabs)
{
    // Connect + join only, 50 in flight, sessions of 10 tabs: the connect path alone.
    var rate = await WithHostAsync([], server => ConnectAsync(server, connectTabs));
    Console.WriteLine($"connects     : {connectTabs:N0} tabs at {rate:N0} connects/s (connect + joined, 50 in flight)");
    return;
}

Console.WriteLine($"OrleansTabs benchmark: {Environment.ProcessorCount} cores, {tabs} tabs, {messages} fan-out messages, {senders}x{perSender} concurrent sends");

var fanOut = await WithHostAsync([], server => FanOutAsync(server, tabs, messages));
Console.WriteLine($"fan-out      : {fanOut.Deliveries:N0} deliveries in {fanOut.Elapsed.TotalSeconds:F2} s = {fanOut.Deliveries / fanOut.Elapsed.TotalSeconds:N0} deliveries/s");

var batched = await WithHostAsync([], server => ConcurrentSendsAsync(server, senders, perSender));
var unbatched = await WithHostAsync(["--OrleansTabs:Rooms:MaxBatch", "1"], server => ConcurrentSendsAsync(server, senders, perSender));
Console.WriteLine($"sends, group commit (MaxBatch 256): {batched.Rate:N0} acked sends/s, p50 {batched.P50:F1} ms, p99 {batched.P99:F1} ms");
Console.WriteLine($"sends, one write per message (MaxBatch 1): {unbatched.Rate:N0} acked sends/s, p50 {unbatched.P50:F1} ms, p99 {unbatched.P99:F1} ms");
Console.WriteLine($"group commit speed-up: {batched.Rate / unbatched.Rate:F2}x throughput, {unbatched.P99 / batched.P99:F2}x lower p99");

int ArgInt(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}

async Task<T> WithHostAsync<T>(string[] extra, Func<Uri, Task<T>> body)
{
    if (external is not null)
    {
        return await body(external);
    }

    var app = OrleansTabsApp.Create(
        ["--urls", "http://127.0.0.1:0", "--OrleansTabs:Management:Port", FreePort(), "--OrleansTabs:Management:Host", "127.0.0.1", "--OrleansTabs:Hosting:GarnetDataDirectory", "", "--OrleansTabs:Auth:DevelopmentLogin", "true", "--Logging:LogLevel:Default", "Warning",
         "--OrleansTabs:Sockets:FramesPerSecond", "100000", "--OrleansTabs:Sockets:FrameBurst", "100000",
         "--OrleansTabs:Sessions:SendsPerSecond", "1000000", "--OrleansTabs:Sessions:SendBurst", "1000000", .. extra]);
    await app.StartAsync();
    try
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return await body(new Uri(address));
    }
    finally
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

static async Task<(long Deliveries, TimeSpan Elapsed)> FanOutAsync(Uri server, int tabs, int messages)
{
    var room = "bench-fanout";
    var clients = new List<BenchClient>();
    for (var s = 0; s < tabs / 10; s++)
    {
        var cookies = await BenchClient.SignInAsync(server, $"user{s}");
        for (var t = 0; t < 10; t++)
        {
            var client = new BenchClient();
            await client.ConnectAsync(server, cookies, room);
            await client.PingAsync();
            clients.Add(client);
        }
    }

    var sender = clients[0];
    await sender.SendAsync(room, "warm-up", "warm-up");
    await WithinAsync(Task.WhenAll(clients.Select(c => c.WaitForAsync(1))), clients, "warm-up");
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < messages; i++)
    {
        await sender.SendAsync(room, $"f{i}", BenchClient.Text(i));
    }

    await WithinAsync(Task.WhenAll(clients.Select(c => c.WaitForAsync(messages + 1))), clients, "fan-out");
    watch.Stop();
    foreach (var client in clients)
    {
        await client.DisposeAsync();
    }

    return ((long)messages * clients.Count, watch.Elapsed);
}

static async Task<double> ConnectAsync(Uri server, int tabs)
{
    var sessions = new List<System.Net.CookieContainer>();
    for (var s = 0; s < (tabs + 9) / 10; s++)
    {
        sessions.Add(await BenchClient.SignInAsync(server, $"user{s}"));
    }

    var clients = new BenchClient[tabs];
    var next = -1;
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < tabs)
        {
            clients[i] = new BenchClient();
            await clients[i].ConnectAsync(server, sessions[i / 10], $"room{i / 100}");
        }
    }));
    watch.Stop();
    if (Array.IndexOf(Environment.GetCommandLineArgs(), "--hold") is >= 0 and var hold)
    {
        // Keep the tabs open (pinging, so the heartbeat does not end them) for a look at the server's memory.
        var seconds = int.Parse(Environment.GetCommandLineArgs()[hold + 1], System.Globalization.CultureInfo.InvariantCulture);
        Console.WriteLine($"holding {tabs} tabs for {seconds} s");
        for (var t = 0; t < seconds; t += 10)
        {
            await Task.Delay(TimeSpan.FromSeconds(10));
            await Task.WhenAll(clients.Select(c => c.PingAsync()));
        }
    }

    await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
    return tabs / watch.Elapsed.TotalSeconds;
}

static async Task WithinAsync(Task task, List<BenchClient> clients, string phase)
{
    // A benchmark stops by itself: a stall is reported with what each tab received.
    if (await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(60))) != task)
    {
        var counts = clients.Select(c => c.Received).GroupBy(n => n).Select(g => $"{g.Count()} tabs at {g.Key}");
        throw new TimeoutException($"{phase} stalled: {string.Join(", ", counts)}");
    }
}

static async Task<(double Rate, double P50, double P99)> ConcurrentSendsAsync(Uri server, int senders, int perSender)
{
    var room = "bench-sends";
    var cookies = await BenchClient.SignInAsync(server, "sender");
    var clients = new List<BenchClient>();
    for (var i = 0; i < senders; i++)
    {
        var client = new BenchClient();
        await client.ConnectAsync(server, cookies, room);
        await client.PingAsync();
        clients.Add(client);
    }

    await clients[0].SendAsync(room, "warm-up", "warm-up");
    var latencies = new List<double>();
    var watch = Stopwatch.StartNew();
    await WithinAsync(Task.WhenAll(clients.Select(async (client, c) =>
    {
        for (var i = 0; i < perSender; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await client.SendAsync(room, $"c{c}-{i}", BenchClient.Text(i));
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            lock (latencies)
            {
                latencies.Add(ms);
            }
        }
    })), clients, "concurrent sends");
    watch.Stop();
    foreach (var client in clients)
    {
        await client.DisposeAsync();
    }

    latencies.Sort();
    return (senders * perSender / watch.Elapsed.TotalSeconds, latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)]);
}

static string FreePort()
{
    using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    probe.Start();
    return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
