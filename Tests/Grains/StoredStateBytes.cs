namespace OrleansTabs.Tests.Grains;

/// <summary>
/// <see cref="StoredStateSamples"/> as grain storage writes them (through <c>StateSerializer</c>): bytes in Redis that
/// every later build must still read, kept here as written so that a change to a type shows against them. The binary
/// format (a one-byte marker, then Orleans' serializer) names no type where the stored type is the declared one.
/// </summary>
public static class StoredStateBytes
{
    public const string Session =
        "ASBAC3N1Yi0xIYAAIIwQinfeCIEAAAAAAAAAAOAhgAB+XMOKd94IgQAAAAAAAAAA4AEDIQEDQSNzZXNzLTEvdGFiLTEvY2hhdCBAC3RhYi0xQQljaGF0AQNBCWZl" +
        "LTFBDWNvbm4tMSGAAGZPNIp33giBAAAAAAAAAADgIegAan1BEXRvb19zbG93IYAArBJYinfeCIEAAAAAAAAAAODgAQNBDWluc3QtMUEPZXBvY2gtMODgIQADIUAP" +
        "eyJuIjoxfSGAAPLVe4p33giBAAAAAAAAAADg4OBBB0FkYSEAAyHoQAlyb2xlQQthZG1pbuDgIYAAiFByknfeCIEAAAAAAAAAAOAhAANBC2xvYmJ54OA=";

    public const string Tab =
        "ASBADWluc3QtMUEJZmUtMUENY29ubi0xQQ9lcG9jaC0xAR0hAAMhAB1BB20tN0EPeyJuIjo3fSGAACCMEIp33giBAAAAAAAAAADg4OAhAAVBC2xvYmJ5QAdvcHPg" +
        "QQtzdWItMSEAAyFAC2tleS0xAQMhgADDbSKKd94IgQAAAAAAAAAA4ODgQQdBZGEhAAPBJeDg";

    public const string User =
        "ASAgAQVBDXNlc3MtMUANc2Vzcy0y4CEBBcEJIIAAIIwQinfeCIEAAAAAAAAAAODACyCAAOD1OlN43giBAAAAAAAAAADg4OA=";
}
