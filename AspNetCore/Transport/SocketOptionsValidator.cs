using Microsoft.Extensions.Options;
using OrleansTabs.Grains.Options;

namespace OrleansTabs.AspNetCore.Transport;

/// <summary>Validates <see cref="SocketOptions"/> at start-up with messages that name the bad setting.</summary>
internal sealed class SocketOptionsValidator : IValidateOptions<SocketOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SocketOptions o)
    {
        var check = new OptionsCheck(SocketOptions.SectionName);
        check.That(o.MaxFrameBytes is >= 1024 and <= 16 * 1024 * 1024, nameof(o.MaxFrameBytes), o.MaxFrameBytes, "must be between 1024 and 16777216");
        check.That(o.SendQueueCapacity is >= 8 and <= 100_000, nameof(o.SendQueueCapacity), o.SendQueueCapacity, "must be between 8 and 100000");
        check.That(o.SendQueueBytes is >= 64 * 1024 and <= 1024 * 1024 * 1024, nameof(o.SendQueueBytes), o.SendQueueBytes, "must be between 65536 and 1073741824");
        check.That(o.SendQueueMaxDelay >= TimeSpan.FromSeconds(1) && o.SendQueueMaxDelay <= TimeSpan.FromHours(1), nameof(o.SendQueueMaxDelay), o.SendQueueMaxDelay, "must be between 1 second and 1 hour");
        check.That(o.MaxSendsInFlight is >= 1 and <= 4096, nameof(o.MaxSendsInFlight), o.MaxSendsInFlight, "must be between 1 and 4096");
        check.That(o.MaxCallsInFlight is >= 1 and <= 4096, nameof(o.MaxCallsInFlight), o.MaxCallsInFlight, "must be between 1 and 4096");
        check.That(o.Heartbeat >= TimeSpan.FromMilliseconds(100), nameof(o.Heartbeat), o.Heartbeat, "must be at least 100 ms");
        check.That(o.KeepAliveInterval >= TimeSpan.Zero, nameof(o.KeepAliveInterval), o.KeepAliveInterval, "must not be negative");
        check.That(o.KeepAliveTimeout > TimeSpan.Zero, nameof(o.KeepAliveTimeout), o.KeepAliveTimeout, "must be positive");
        check.That(o.WriteTimeout > TimeSpan.Zero, nameof(o.WriteTimeout), o.WriteTimeout, "must be positive");
        check.That(o.CloseTimeout > TimeSpan.Zero, nameof(o.CloseTimeout), o.CloseTimeout, "must be positive");
        check.That(o.HandshakeTimeout > TimeSpan.Zero, nameof(o.HandshakeTimeout), o.HandshakeTimeout, "must be positive");
        check.That(o.CommandTimeout > TimeSpan.Zero, nameof(o.CommandTimeout), o.CommandTimeout, "must be positive");
        check.That(o.CallAttemptTimeout > TimeSpan.Zero && o.CallAttemptTimeout <= o.HandshakeTimeout && o.CallAttemptTimeout <= o.CommandTimeout, nameof(o.CallAttemptTimeout), o.CallAttemptTimeout, "must be positive and at most HandshakeTimeout and CommandTimeout");
        check.That(o.ResumeWindow >= TimeSpan.Zero && o.ResumeWindow <= TimeSpan.FromSeconds(30), nameof(o.ResumeWindow), o.ResumeWindow, "must be between 0 and 30 seconds");
        check.That(o.ErrorLimit >= 1, nameof(o.ErrorLimit), o.ErrorLimit, "must be at least 1");
        check.That(o.ErrorWindow > TimeSpan.Zero, nameof(o.ErrorWindow), o.ErrorWindow, "must be positive");
        check.That(o.FramesPerSecond >= 1, nameof(o.FramesPerSecond), o.FramesPerSecond, "must be at least 1");
        check.That(o.FrameBurst >= 1, nameof(o.FrameBurst), o.FrameBurst, "must be at least 1");
        for (var i = 0; i < o.AllowedOrigins.Length; i++)
        {
            var origin = o.AllowedOrigins[i];
            check.That(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.AbsolutePath == "/", $"{nameof(o.AllowedOrigins)}:{i}", origin, "must be an origin such as https://example.com");
        }

        return check.Result();
    }
}
