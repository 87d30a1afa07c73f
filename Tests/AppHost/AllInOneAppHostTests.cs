namespace OrleansTabs.Tests.AppHost;

/// <summary>The application's behaviours with its front-end hosting the silo.</summary>
[Collection(AllInOneAppCollection.Name)]
public sealed class AllInOneAppHostTests(AllInOneAppFixture fixture) : AppHostTests(fixture);
