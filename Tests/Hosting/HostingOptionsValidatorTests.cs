using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OrleansTabs.Web.Hosting;

namespace OrleansTabs.Tests.Hosting;

/// <summary><c>OrleansTabs:Hosting</c> is validated as it is read: each bad value names its full configuration key.</summary>
public sealed class HostingOptionsValidatorTests
{
    private const string Redis = "127.0.0.1:6379";

    [Fact]
    public void TheDefaultsAndBothModesAreValid()
    {
        Assert.True(Validate(new HostingOptions(), redis: null).Succeeded);
        Assert.True(Validate(new HostingOptions { Mode = "AllInOne" }, redis: null).Succeeded);
        Assert.True(Validate(new HostingOptions { Mode = "client" }, Redis).Succeeded);
        Assert.True(Validate(new HostingOptions { GarnetPort = 6380, CorsOrigins = ["https://app.example.com/", "http://localhost:5173"] }, Redis).Succeeded);
    }

    [Theory]
    [InlineData("Allinone ")]
    [InlineData("Silo")]
    public void AnUnknownModeIsRefusedByName(string mode)
    {
        var result = Validate(new HostingOptions { Mode = mode }, Redis);

        Assert.True(result.Failed);
        Assert.Contains("OrleansTabs:Hosting:Mode must be AllInOne or Client", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains($"'{mode}'", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ClientModeWithoutRedisNamesBothSettings()
    {
        var result = Validate(new HostingOptions { Mode = "Client" }, redis: " ");

        Assert.True(result.Failed);
        Assert.Contains("OrleansTabs:Hosting:Mode is Client, which needs ConnectionStrings:Redis", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    public void AGarnetPortOutOfRangeIsRefusedByName(int port)
    {
        var result = Validate(new HostingOptions { GarnetPort = port }, redis: null);

        Assert.True(result.Failed);
        Assert.Contains($"OrleansTabs:Hosting:GarnetPort must be a port from 1 to 65535, or 0 for any free port, but is {port}.", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app.example.com")]
    [InlineData("https://app.example.com/path")]
    [InlineData("ftp://app.example.com")]
    [InlineData("https://app.example.com/?q=1")]
    public void ACorsOriginThatIsNoOriginIsRefusedWithItsIndex(string bad)
    {
        var result = Validate(new HostingOptions { CorsOrigins = ["https://app.example.com", bad] }, redis: null);

        Assert.True(result.Failed);
        Assert.Contains($"OrleansTabs:Hosting:CorsOrigins:1 must be an origin such as https://app.example.com, but is '{bad}'.", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("CorsOrigins:0", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryBadSettingIsReportedAtOnce()
    {
        var result = Validate(new HostingOptions { Mode = "Silo", GarnetPort = -1, CorsOrigins = ["nope"] }, redis: null);

        Assert.Equal(3, result.Failures!.Count());
    }

    [Fact]
    public void ReadingABadSectionThrowsNamingTheSetting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OrleansTabs:Hosting:Mode"] = "Client",
            ["OrleansTabs:Hosting:GarnetPort"] = "70000",
        }).Build();

        var error = Assert.Throws<OptionsValidationException>(() => HostingOptionsValidator.Read(configuration));

        Assert.Contains("OrleansTabs:Hosting:GarnetPort", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:Redis", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadingAGoodSectionBindsIt()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = Redis,
            ["OrleansTabs:Hosting:CorsOrigins:0"] = "https://app.example.com",
        }).Build();

        var hosting = HostingOptionsValidator.Read(configuration);

        Assert.Equal(["https://app.example.com"], hosting.CorsOrigins);
        Assert.False(hosting.IsAllInOne(configuration["ConnectionStrings:Redis"]));
    }

    private static ValidateOptionsResult Validate(HostingOptions options, string? redis) =>
        new HostingOptionsValidator(redis).Validate(null, options);
}
