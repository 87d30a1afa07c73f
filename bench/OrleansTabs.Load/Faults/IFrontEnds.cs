namespace OrleansTabs.Load.Faults;

/// <summary>Where a scenario's tabs connect: front-ends A and B (the same server when a deployment has one).</summary>
internal interface IFrontEnds
{
    /// <summary>The front-ends' HTTP addresses (A is 0, B is 1).</summary>
    IReadOnlyList<Uri> FrontEnds { get; }

    /// <summary>The front-ends whose process is running.</summary>
    IReadOnlyList<Uri> LiveFrontEnds { get; }
}
