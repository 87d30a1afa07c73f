using Microsoft.AspNetCore.Http.Features;

namespace OrleansTabs.AspNetCore.Protocol;

/// <summary>
/// A hard request body limit per endpoint, whether or not the body declares a Content-Length: a declared length over
/// it is refused before reading; a chunked body is cut off by Kestrel as soon as it passes the limit. Either way the
/// answer is 413 with a problem body, never a 500.
/// </summary>
internal static class BodyLimit
{
    /// <summary>Limits the bodies of the endpoints of <paramref name="builder"/> to <paramref name="maxBytes"/>.</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long maxBytes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            if (context.Request.ContentLength > maxBytes)
            {
                return TooLarge(maxBytes);
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = maxBytes;
            }

            try
            {
                return await next(invocation);
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return TooLarge(maxBytes);
            }
        });

    private static IResult TooLarge(long maxBytes) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large.", detail: $"The body must be at most {maxBytes} bytes.");
}
