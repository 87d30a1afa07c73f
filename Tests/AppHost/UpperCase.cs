using System.Text.Json;

namespace OrleansTabs.Tests.AppHost;

/// <summary>Answers <c>text.upper</c>: <c>args.text</c> in capitals; anything else in args is the caller's mistake.</summary>
public sealed class UpperCase : ITabCallHandler
{
    public string Method => "text.upper";

    public ValueTask<object?> HandleAsync(TabContext tab, JsonElement args, CancellationToken cancellationToken) =>
        args.ValueKind == JsonValueKind.Object && args.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
            ? ValueTask.FromResult<object?>(new { text = text.GetString()!.ToUpperInvariant() })
            : throw new TabCallException("bad_args", "args.text must be a string.");
}
