namespace OrleansTabs.Load.Faults;

/// <summary>One fault scenario: its number and name in the summary, its own deadline, and what it does and asserts.</summary>
internal sealed record Scenario(int Number, string Name, TimeSpan Deadline, Func<RigCluster, ScenarioResult, CancellationToken, Task> RunAsync)
{
    /// <summary>The scenarios of the rig, in the order they run.</summary>
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new(1, "logout-across", TimeSpan.FromSeconds(45), SessionScenarios.LogoutAsync),
        new(2, "kill-frontend", TimeSpan.FromSeconds(120), FailureScenarios.KillFrontEndAsync),
        new(3, "freeze-frontend-12s", TimeSpan.FromSeconds(120), FailureScenarios.FreezeFrontEndAsync),
        new(4, "kill-room-silo", TimeSpan.FromSeconds(120), FailureScenarios.KillRoomSiloAsync),
        new(5, "restart-redis", TimeSpan.FromSeconds(120), FailureScenarios.RestartRedisAsync),
        new(6, "restart-everything", TimeSpan.FromSeconds(150), FailureScenarios.RestartEverythingAsync),
        new(7, "session-expiry", TimeSpan.FromSeconds(90), SessionScenarios.ExpiryAsync),
        new(8, "revocation-fenced", TimeSpan.FromSeconds(120), SessionScenarios.RevocationFencedAsync),
        new(9, "freeze-everything-12s", TimeSpan.FromSeconds(120), FailureScenarios.FreezeEverythingAsync),
        new(10, "crash-allinone", TimeSpan.FromSeconds(120), DurabilityScenarios.CrashAllInOneAsync),
        new(11, "crash-silo-then-redis", TimeSpan.FromSeconds(150), DurabilityScenarios.CrashSiloThenRedisAsync),
        new(12, "drain-frontend", TimeSpan.FromSeconds(120), DrainScenarios.DrainFrontEndAsync),
    ];
}
