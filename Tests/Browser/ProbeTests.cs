using Microsoft.Playwright;
using Xunit.Abstractions;

namespace OrleansTabs.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ProbeTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [BrowserFact]
    public async Task ProbeOffline()
    {
        await using var scenario = new BrowserScenario(fixture.Browser, fixture.Server);
        var context = await scenario.SignInAsync();
        var tab = await BrowserScenario.OpenAsync(context);
        var t0 = DateTime.UtcNow;
        void Log(string s) { lock (output) { output.WriteLine($"{(DateTime.UtcNow - t0).TotalSeconds:F1} {s}"); } }
        tab.Page.Console += (_, m) => Log("console " + m.Text);
        tab.Page.WebSocket += (_, ws) => { Log("ws open " + ws.Url); ws.Close += (_, _) => Log("ws close"); ws.SocketError += (_, e) => Log("ws error " + e); ws.FrameSent += (_, f) => Log("sent " + f.Text); ws.FrameReceived += (_, f) => Log("recv " + f.Text); };
        var first = tab.Sockets[0];
        first.Close += (_, _) => Log("first ws close");
        first.FrameSent += (_, f) => Log("sent1 " + f.Text);
        first.FrameReceived += (_, f) => Log("recv1 " + f.Text);
        await tab.JoinAsync("probe");
        await tab.Page.ExposeFunctionAsync("logState", (string s) => Log("state " + s));
        await tab.Page.EvaluateAsync("new MutationObserver(() => window.logState(document.getElementById('state').textContent + ' / ' + document.getElementById('last-close').textContent)).observe(document.getElementById('state'), {childList:true, subtree:true, characterData:true})");
        Log("offline");
        await context.SetOfflineAsync(true);
        await Task.Delay(12000);
        Log("online");
        await context.SetOfflineAsync(false);
        await Task.Delay(6000);
        Log("end");
    }
}
