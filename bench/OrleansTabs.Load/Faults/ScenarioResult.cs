using System.Globalization;

namespace OrleansTabs.Load.Faults;

/// <summary>What one fault scenario measured, and the assertions it failed (none: PASS).</summary>
internal sealed class ScenarioResult(int number, string name)
{
    public int Number { get; } = number;

    public string Name { get; } = name;

    public int Tabs { get; set; }

    public long Sent { get; set; }

    public long Acked { get; set; }

    public long Delivered { get; set; }

    public long Lost { get; set; }

    public long Duplicated { get; set; }

    public int TerminalCloses { get; set; }

    /// <summary>Seconds from the fault (or its end) until the scenario's recovery condition held; NaN if it never did.</summary>
    public double RecoverSeconds { get; set; } = double.NaN;

    /// <summary>What "recover" measures in this scenario.</summary>
    public string RecoverMeaning { get; set; } = "";

    /// <summary>A figure of the scenario's own, printed at the end of the summary line (empty for none).</summary>
    public string Extra { get; set; } = "";

    public List<string> Failures { get; } = [];

    /// <summary>Lines of detail printed under the summary line.</summary>
    public List<string> Notes { get; } = [];

    public bool Passed => Failures.Count == 0;

    /// <summary>Adds a failure unless <paramref name="condition"/> holds.</summary>
    public void Expect(bool condition, string failure)
    {
        if (!condition)
        {
            Failures.Add(failure);
        }
    }

    /// <summary>The one summary line.</summary>
    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"scenario {Number} {Name,-22} tabs {Tabs,3}  sent {Sent,5}  acked {Acked,5}  delivered {Delivered,6}  lost {Lost}  duplicated {Duplicated}  terminal closes {TerminalCloses,2}  recover {(double.IsNaN(RecoverSeconds) ? "n/a" : RecoverSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s")}  {(Extra.Length > 0 ? Extra + "  " : "")}{(Passed ? "PASS" : "FAIL")}");
}
