using Microsoft.Extensions.FileProviders;

namespace OrleansTabs.Web.Hosting;

/// <summary>
/// Serves the browser client package (<c>client/src</c> in the repository) at <c>/js/orleanstabs.js</c>. The build copies the
/// package's files into the <c>client</c> folder of the application's output (and of its publish folder, and of any project
/// that references this one), so the pages load the package's own file: there is no second copy under <c>wwwroot</c>.
/// </summary>
public static class ClientPackage
{
    /// <summary>The URL path the client's files are served under.</summary>
    public const string RequestPath = "/js";

    /// <summary>The folder of the application's output that holds the client's files.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "client");

    /// <summary>Maps <see cref="RequestPath"/> to the client's files of the build output.</summary>
    public static IApplicationBuilder UseClientPackage(this IApplicationBuilder app)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            throw new InvalidOperationException($"The browser client is missing from the build output ({Directory}): build the Web project.");
        }

        return app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(Directory), RequestPath = RequestPath });
    }
}
