using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansTabs.Grains.Json;

namespace OrleansTabs.AspNetCore.Push;

/// <summary>
/// <c>POST /api/push</c>: server-originated frames to a user, session, tab, room or topic (docs/protocol.md section 1).
/// Frames to a tab (and so to a user's or session's tabs) go on each tab's own resumable <c>tab</c> stream.
/// </summary>
internal static class PushEndpoints
{
    /// <summary>The header carrying the push API key.</summary>
    public const string KeyHeader = "X-Push-Key";

    /// <summary>The optional header that makes a push idempotent: a repeat with the same key and target delivers nothing again.</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    private const int MaxPayloadBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapPushEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/push", PushAsync).WithBodyLimit(MaxPayloadBytes);
        return app;
    }

    private static async Task<IResult> PushAsync(HttpContext context, IOrleansTabs tabs, IOptions<PushOptions> options)
    {
        if (string.IsNullOrEmpty(options.Value.ApiKey))
        {
            return Results.Problem(statusCode: 503, title: "The push API is switched off.", detail: $"Set {PushOptions.SectionName}:ApiKey to enable it.");
        }

        if (!KeyMatches(context.Request.Headers[KeyHeader].ToString(), options.Value.ApiKey))
        {
            return Results.Problem(statusCode: 401, title: "Missing or wrong push key.", detail: $"Send the push API key in the {KeyHeader} header.");
        }

        if (!TryReadIdempotencyKey(context.Request, out var key))
        {
            return Results.Problem(statusCode: 400, title: "Invalid push request.", detail: $"{IdempotencyHeader} must be 1-128 visible ASCII characters.");
        }

        var request = await PushRequest.ReadAsync(context);
        if (request.Error is { } error)
        {
            return Results.Problem(statusCode: 400, title: "Invalid push request.", detail: error);
        }

        var receipt = PushReceipt.NotFound;
        try
        {
            receipt = request.Target is null ? receipt : await tabs.PushAsync(request.Target, request.Payload, request.Delivery, key, context.RequestAborted);
        }
        catch (ArgumentException ex)
        {
            return Results.Problem(statusCode: 400, title: "Invalid push request.", detail: ex.Message);
        }

        return receipt.Found
            ? Results.Json(new { delivered = receipt.Delivered, queued = receipt.Queued }, statusCode: 202)
            : Results.Problem(statusCode: 404, title: "Unknown target.", detail: $"No {request.Kind} '{request.Name}' is known.");
    }

    /// <summary>
    /// The optional idempotency key: absent, or 1-128 visible ASCII characters (a quoted string as the HTTP draft writes
    /// it is taken without its quotes).
    /// </summary>
    private static bool TryReadIdempotencyKey(HttpRequest request, out string? key)
    {
        key = null;
        if (!request.Headers.TryGetValue(IdempotencyHeader, out var values))
        {
            return true;
        }

        var value = values.Count == 1 ? values[0]?.Trim() : null;
        if (value is { Length: >= 3 } && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1];
        }

        if (value is not { Length: >= 1 and <= 128 } || value.Any(c => c is < '!' or > '~'))
        {
            return false;
        }

        key = value;
        return true;
    }

    private static bool KeyMatches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>A parsed push: the target's kind and name as sent, the target (null for a tab target that names no tab of a session: unknown), the payload.</summary>
    private sealed record PushRequest(string? Kind, string? Name, TabsTarget? Target, JsonElement Payload, string? Error, PushDelivery Delivery = PushDelivery.All)
    {
        private static readonly string[] Kinds = ["user", "session", "tab", "room", "topic"];

        public static async Task<PushRequest> ReadAsync(HttpContext context)
        {
            if (!context.Request.HasJsonContentType())
            {
                return Fail("Send Content-Type: application/json.");
            }

            JsonDocument body;
            try
            {
                body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            }
            catch (JsonException)
            {
                return Fail("The body is not valid JSON.");
            }

            using (body)
            {
                var root = body.RootElement;
                if (JsonText.HasInvalidString(root))
                {
                    return Fail("A string in the body is not valid Unicode (a lone surrogate or bytes that are not UTF-8).");
                }

                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("target", out var target) || target.ValueKind != JsonValueKind.Object)
                {
                    return Fail("'target' must be an object with one of: user, session, tab, room, topic.");
                }

                var named = target.EnumerateObject().Where(p => Kinds.Contains(p.Name)).ToList();
                if (named.Count != 1 || named[0].Value.ValueKind != JsonValueKind.String || named[0].Value.GetString() is not { Length: > 0 and <= 200 } value)
                {
                    return Fail("'target' must name exactly one of user, session, tab, room, topic, as a non-empty string.");
                }

                if (!root.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
                {
                    return Fail("'payload' must be a JSON object.");
                }

                if (named[0].Name == "room" && !Protocol.Identifiers.IsRoom(value))
                {
                    return Fail("A room name is 1-64 characters of [A-Za-z0-9_.-].");
                }

                var delivery = PushDelivery.All;
                if (root.TryGetProperty("delivery", out var mode) && mode.ValueKind != JsonValueKind.Null)
                {
                    if (named[0].Name is not ("user" or "session"))
                    {
                        return Fail("'delivery' applies to a user or session target only.");
                    }

                    delivery = mode.ValueKind == JsonValueKind.String ? mode.GetString() switch
                    {
                        "all" => PushDelivery.All,
                        "focused" => PushDelivery.Focused,
                        "once" => PushDelivery.Once,
                        _ => (PushDelivery)(-1),
                    } : (PushDelivery)(-1);
                    if (!Enum.IsDefined(delivery))
                    {
                        return Fail("'delivery' must be \"all\", \"focused\" or \"once\".");
                    }
                }

                return new PushRequest(named[0].Name, value, TargetOf(named[0].Name, value), payload.Clone(), null, delivery);
            }
        }

        private static PushRequest Fail(string error) => new(null, null, null, default, error);

        /// <summary>
        /// The target; a tab target is "&lt;session&gt;/&lt;tab id&gt;" (tab ids are scoped to their session). Null for a
        /// session or tab target that cannot name one (a '/' too many): no such target is known.
        /// </summary>
        private static TabsTarget? TargetOf(string kind, string value)
        {
            if (kind == "session" && value.Contains('/', StringComparison.Ordinal))
            {
                return null;
            }

            if (kind != "tab")
            {
                return kind switch
                {
                    "user" => TabsTarget.User(value),
                    "session" => TabsTarget.Session(value),
                    "room" => TabsTarget.Room(value),
                    _ => TabsTarget.Topic(value),
                };
            }

            var slash = value.IndexOf('/', StringComparison.Ordinal);
            return slash <= 0 || slash == value.Length - 1 || value.IndexOf('/', slash + 1) >= 0
                ? null
                : TabsTarget.Tab(value[..slash], value[(slash + 1)..]);
        }
    }
}
