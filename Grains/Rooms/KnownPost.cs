namespace OrleansTabs.Grains.Rooms;

/// <summary>A post of a batch that the log already holds (a resend): its index in the batch and its stored offset.</summary>
public readonly record struct KnownPost(int Index, long Offset);
