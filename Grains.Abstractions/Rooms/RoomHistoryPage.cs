using System.Collections.Immutable;
using OrleansTabs.Streams;

namespace OrleansTabs.Rooms;

/// <summary>
/// A page of a room's history, oldest first: the newest retained messages before the asked offset that fit the
/// <see cref="ReplyBudget.MaxBytes"/> budget. <see cref="Truncated"/> when fewer than asked were returned because of
/// the budget (older retained messages remain: ask again before the first offset returned).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ot.RoomHistoryPage")]
public sealed record RoomHistoryPage(
    [property: Id(0)] ImmutableArray<StreamMessage> Messages,
    [property: Id(1)] bool Truncated);
