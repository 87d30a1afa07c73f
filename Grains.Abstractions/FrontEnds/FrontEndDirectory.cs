namespace OrleansTabs.FrontEnds;

/// <summary>The one way to reach the cluster's <see cref="IFrontEndDirectoryGrain"/>: it is a singleton, and its key is kept here.</summary>
public static class FrontEndDirectory
{
    /// <summary>The key of the one directory grain.</summary>
    public const long Key = 0;

    /// <summary>The cluster's front-end directory.</summary>
    public static IFrontEndDirectoryGrain GetFrontEndDirectory(this IGrainFactory grains) => grains.GetGrain<IFrontEndDirectoryGrain>(Key);
}
