namespace OrleansTabs.Load.Servers;

/// <summary>Finds the repository (the folder with <c>OrleansTabs.sln</c>) and the Release builds of the servers in it.</summary>
internal static class Repo
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The repository root.</summary>
    public static string Root => RootPath.Value;

    /// <summary>The build configuration this tool runs in, which the servers are built in too.</summary>
    public static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    /// <summary>
    /// The path of a server's assembly: in its ReadyToRun publish when the run published the servers (see
    /// <see cref="ServerBuilds"/>), else in its build output, e.g. <c>Web/bin/Release/net10.0/OrleansTabs.Web.dll</c>.
    /// </summary>
    public static string Assembly(string project, string dll)
    {
        var path = Path.Combine(ServerBuilds.Directory(project) ?? Path.Combine(Root, project, "bin", Configuration, "net10.0"), dll);
        return File.Exists(path) ? path : throw new FileNotFoundException(
            $"{Path.GetRelativePath(Root, path)} is missing: build it first (dotnet build OrleansTabs.sln -c {Configuration}).", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrleansTabs.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("OrleansTabs.sln not found above " + AppContext.BaseDirectory);
    }
}
