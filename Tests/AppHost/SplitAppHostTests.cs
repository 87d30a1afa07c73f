namespace OrleansTabs.Tests.AppHost;

/// <summary>The application's behaviours with its front-end a client of a silo host of its own.</summary>
[Collection(SplitAppCollection.Name)]
public sealed class SplitAppHostTests(SplitAppFixture fixture) : AppHostTests(fixture);
