using Microsoft.Extensions.Options;

namespace OrleansTabs.Grains.Options;

/// <summary>
/// How every options validator here reports: each failure names the full configuration key of the bad setting
/// (<c>OrleansTabs:Sockets:SendQueueCapacity</c>), the rule it breaks and the value it has.
/// </summary>
public sealed class OptionsCheck(string section)
{
    private readonly List<string> _failures = [];

    /// <summary>The full configuration key of a setting of this section.</summary>
    public string Key(string setting) => $"{section}:{setting}";

    /// <summary>Records "<c>key rule, but is value.</c>" unless <paramref name="ok"/>.</summary>
    public void That(bool ok, string setting, object? value, string rule)
    {
        if (!ok)
        {
            _failures.Add($"{Key(setting)} {rule}, but is {Show(value)}.");
        }
    }

    /// <summary>Records a failure worded as "<c>key message</c>", for a rule that is not about one value.</summary>
    public void Fail(string setting, string message) => _failures.Add($"{Key(setting)} {message}");

    /// <summary>Success, or every failure recorded.</summary>
    public ValidateOptionsResult Result() =>
        _failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_failures);

    private static string Show(object? value) => value switch
    {
        null => "unset",
        string text => $"'{text}'",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
