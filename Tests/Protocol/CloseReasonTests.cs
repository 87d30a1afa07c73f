using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrleansTabs.Tests.Protocol;

/// <summary>The table of closes in code is the table of docs/protocol.md section 4: codes, reasons and which are terminal.</summary>
public sealed partial class CloseReasonTests
{
    [Fact]
    public void EveryCloseOfTheContractsTableIsPredefinedAndTerminalAsTheTableSays()
    {
        var documented = DocumentedCloses();

        Assert.NotEmpty(documented);
        foreach (var (code, stop) in documented)
        {
            var closes = CloseReason.All.Where(c => c.Code == code).ToList();
            Assert.True(closes.Count > 0, $"{code} is in docs/protocol.md section 4 but has no CloseReason");
            Assert.All(closes, c => Assert.Equal(stop, c.Terminal));
        }
    }

    [Fact]
    public void EveryPredefinedCloseIsInTheContract()
    {
        var documented = DocumentedCloses().Select(c => c.Code).ToHashSet();

        Assert.All(CloseReason.All, c => Assert.Contains(c.Code, documented));
    }

    [Fact]
    public void EveryReasonCodeIsTheOneTheTableNames()
    {
        var names = DocumentedRows().ToLookup(r => r.Code, r => r.Meaning);

        Assert.All(CloseReason.All.Where(c => c.Name.Length > 0), c =>
            Assert.True(names[c.Code].Any(meaning => meaning.Contains($"`{c.Name}`", StringComparison.Ordinal)), $"{c.Code} {c.Name} is not named in docs/protocol.md section 4"));
    }

    [Fact]
    public void CodesFrom4000AreRetryableBelow4500AndTerminalFrom4500()
    {
        Assert.All(CloseReason.All.Where(c => c.Code >= 4000), c => Assert.Equal(c.Code >= 4500, c.Terminal));
    }

    [Fact]
    public void EveryReasonIsAShortJsonObjectNamingItsCode()
    {
        foreach (var close in CloseReason.All.Where(c => c.Name.Length > 0).Append(CloseReason.RateLimited.RetryAfter(1000)))
        {
            Assert.True(Encoding.UTF8.GetByteCount(close.Json) <= 123, close.Json);
            using var json = JsonDocument.Parse(close.Json);
            Assert.Equal(close.Name, json.RootElement.GetProperty("code").GetString());
        }
    }

    [Fact]
    public void AReasonWithRetryAfterCarriesItBesideTheCode()
    {
        var close = CloseReason.RateLimited.RetryAfter(1000);

        Assert.Equal(4029, close.Code);
        Assert.Equal("""{"code":"rate_limited","retryAfterMs":1000}""", close.Json);
    }

    [Fact]
    public void ACloseCommandCarriesAPredefinedCloseAcrossTheWire()
    {
        Assert.All(CloseReason.All, c => Assert.Same(c, CloseReason.FromWire(c.Code, c.Json)));

        var unknown = CloseReason.FromWire(4100, """{"code":"something_new"}""");
        Assert.Equal((4100, "something_new", false), (unknown.Code, unknown.Name, unknown.Terminal));
        Assert.Equal("", CloseReason.FromWire(4100, "not json").Name);
    }

    /// <summary>The rows of the table in docs/protocol.md section 4: code, and whether the client should stop.</summary>
    private static List<(int Code, bool Stop)> DocumentedCloses() =>
        [.. DocumentedRows().Select(r => (r.Code, r.Client.StartsWith("stop", StringComparison.Ordinal)))];

    /// <summary>The rows of the table in docs/protocol.md section 4: code, meaning (with the reason codes) and what the client should do.</summary>
    private static List<(int Code, string Meaning, string Client)> DocumentedRows()
    {
        var doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "protocol.md"));
        var start = doc.IndexOf("## 4. Close codes", StringComparison.Ordinal);
        var end = doc.IndexOf("## 5.", start, StringComparison.Ordinal);
        return [.. Row().Matches(doc[start..end]).Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value, m.Groups[3].Value))];
    }

    [GeneratedRegex(@"^\| (\d{4}) \| ([^|]*) \| ([^|]*) \|$", RegexOptions.Multiline)]
    private static partial Regex Row();
}
