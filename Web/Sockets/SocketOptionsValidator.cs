using Microsoft.Extensions.Options;

namespace OrleansTabs.Web.Sockets;

/// <summary>Validates <see cref="SocketOptions"/> at start-up with messages that name the bad setting.</summary>
public sealed class SocketOptionsValidator : IValidateOptions<SocketOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SocketOptions o)
    {
        var failures = new List<string>();
        void Check(bool ok, string setting, object value, string rule)
        {
            if (!ok)
            {
                failures.Add($"{SocketOptions.SectionName}:{setting} {rule}, but is {value}.");
            }
        }

        Check(o.MaxFrameBytes is >= 1024 and <= 16 * 1024 * 1024, nameof(o.MaxFrameBytes), o.MaxFrameBytes, "must be between 1024 and 16777216");
        Check(o.SendQueueCapacity is >= 8 and <= 100_000, nameof(o.SendQueueCapacity), o.SendQueueCapacity, "must be between 8 and 100000");
        Check(o.MaxSendsInFlight is >= 1 and <= 4096, nameof(o.MaxSendsInFlight), o.MaxSendsInFlight, "must be between 1 and 4096");
        Check(o.Heartbeat >= TimeSpan.FromMilliseconds(100), nameof(o.Heartbeat), o.Heartbeat, "must be at least 100 ms");
        Check(o.KeepAliveInterval >= TimeSpan.Zero, nameof(o.KeepAliveInterval), o.KeepAliveInterval, "must not be negative");
        Check(o.KeepAliveTimeout > TimeSpan.Zero, nameof(o.KeepAliveTimeout), o.KeepAliveTimeout, "must be positive");
        Check(o.WriteTimeout > TimeSpan.Zero, nameof(o.WriteTimeout), o.WriteTimeout, "must be positive");
        Check(o.CloseTimeout > TimeSpan.Zero, nameof(o.CloseTimeout), o.CloseTimeout, "must be positive");
        Check(o.HandshakeTimeout > TimeSpan.Zero, nameof(o.HandshakeTimeout), o.HandshakeTimeout, "must be positive");
        Check(o.ResumeWindow >= TimeSpan.Zero && o.ResumeWindow <= TimeSpan.FromSeconds(30), nameof(o.ResumeWindow), o.ResumeWindow, "must be between 0 and 30 seconds");
        Check(o.ErrorLimit >= 1, nameof(o.ErrorLimit), o.ErrorLimit, "must be at least 1");
        Check(o.ErrorWindow > TimeSpan.Zero, nameof(o.ErrorWindow), o.ErrorWindow, "must be positive");
        Check(o.FramesPerSecond >= 1, nameof(o.FramesPerSecond), o.FramesPerSecond, "must be at least 1");
        Check(o.FrameBurst >= 1, nameof(o.FrameBurst), o.FrameBurst, "must be at least 1");
        foreach (var origin in o.AllowedOrigins)
        {
            Check(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.AbsolutePath == "/", nameof(o.AllowedOrigins), origin, "must list origins like https://example.com");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
