namespace OrleansTabs;

/// <summary>Carries a <see cref="CloseReason"/> as its surrogate; a predefined close comes back as the same instance.</summary>
[RegisterConverter]
public sealed class CloseReasonConverter : IConverter<CloseReason, CloseReasonSurrogate>
{
    /// <inheritdoc />
    public CloseReason ConvertFromSurrogate(in CloseReasonSurrogate surrogate) => CloseReason.FromWire(surrogate.Code, surrogate.Json);

    /// <inheritdoc />
    public CloseReasonSurrogate ConvertToSurrogate(in CloseReason value) => new(value.Code, value.Json);
}
