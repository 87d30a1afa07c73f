namespace OrleansTabs.AspNetCore.Transport;

/// <summary>
/// The browser origins allowed to use the front-end (<see cref="SocketOptions.AllowedOrigins"/>, default the server's
/// own origin): for socket upgrades and for state-changing requests such as <c>POST /auth/logout</c>.
/// </summary>
internal static class OriginPolicy
{
    /// <summary>Whether the request's <c>Origin</c> is allowed; a request without one is not from a browser page.</summary>
    public static bool Allows(HttpRequest request, SocketOptions options)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            // Not a browser: origin checks guard against cross-site pages, and only browsers send Origin.
            return true;
        }

        if (options.AllowedOrigins.Length == 0)
        {
            return string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
        }

        return options.AllowedOrigins.Any(o => string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Whether a state-changing request may come from where it does: its <c>Origin</c> must be allowed; without one, a
    /// browser's <c>Sec-Fetch-Site</c> must say the request is same-origin or user-initiated.
    /// </summary>
    public static bool AllowsStateChange(HttpRequest request, SocketOptions options)
    {
        if (!string.IsNullOrEmpty(request.Headers.Origin.ToString()))
        {
            return Allows(request, options);
        }

        return request.Headers["Sec-Fetch-Site"].ToString() is "" or "same-origin" or "none";
    }
}
