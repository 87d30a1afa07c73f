using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansTabs.FrontEnds;
using OrleansTabs.Rooms;
using OrleansTabs.Sessions;
using OrleansTabs.Tabs;
using OrleansTabs.Topics;
using OrleansTabs.Users;

namespace OrleansTabs.AspNetCore.Push;

/// <summary>
/// <c>POST /api/push</c>: server-originated frames to a user, session, tab, room or topic (docs/protocol.md section 1).
/// Frames to a tab (and so to a user's or session's tabs) go on each tab's own resumable <c>tab</c> stream.
/// </summary>
public static class PushEndpoints
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

    private static async Task<IResult> PushAsync(HttpContext context, IGrainFactory grains, IOptions<PushOptions> options)
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

        var push = new Push(request.Payload!, key);
        var outcome = request.Kind switch
        {
            "user" => await ToUserAsync(grains, request.Target!, push, request.Delivery),
            "session" => await ToSessionAsync(grains, request.Target!, push, request.Delivery),
            "tab" => await ToTabAsync(grains, request.Target!, push),
            "room" => Now(await grains.Get<IRoomGrain>(request.Target!).PublishAsync(push.Payload, push.Key)),
            _ => Now(await ToTopicAsync(grains, request.Target!, push)),
        };
        return outcome is not { } counts
            ? Results.Problem(statusCode: 404, title: "Unknown target.", detail: $"No {request.Kind} '{request.Target}' is known.")
            : Results.Json(new { delivered = counts.Delivered, queued = counts.Queued }, statusCode: 202);
    }

    private static (int Delivered, int Queued)? Now(int? delivered) => delivered is { } n ? (n, 0) : null;

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

    private static async Task<(int Delivered, int Queued)?> ToUserAsync(IGrainFactory grains, string user, Push push, PushDelivery delivery)
    {
        var sessions = await grains.Get<IUserGrain>(user).GetSessionsAsync();
        if (sessions.Length == 0)
        {
            return null;
        }

        var counts = await Task.WhenAll(sessions.Select(s => ToSessionAsync(grains, s, push, delivery)));
        return (counts.Sum(c => c?.Delivered ?? 0), counts.Sum(c => c?.Queued ?? 0));
    }

    /// <summary>
    /// A session target, or one tab of it (<paramref name="tab"/>, on every channel): every such tab (<c>all</c>), or one
    /// tab the session chooses (<c>focused</c>, <c>once</c>; docs/protocol.md section 6.3). For <c>once</c> a session with
    /// no connected tab keeps the frame for its next tab (queued).
    /// </summary>
    private static async Task<(int Delivered, int Queued)?> ToSessionAsync(IGrainFactory grains, string session, Push push, PushDelivery delivery, string? tab = null)
    {
        if (delivery != PushDelivery.All)
        {
            var choice = await grains.Get<ISessionGrain>(session).ChooseTabAsync(delivery == PushDelivery.Once ? push.Payload : null);
            if (choice is null)
            {
                return null;
            }

            return choice.Tab is { } chosen
                ? (await grains.Get<ITabGrain>(chosen.ToGrainKey()).PushAsync(push.Payload, push.Key) ? 1 : 0, 0)
                : (0, choice.Queued ? 1 : 0);
        }

        // A push is not activity of the session: it must not keep an idle session alive.
        var attached = await grains.Get<ISessionGrain>(session).GetTabsAsync();
        var tabs = attached?.Where(t => tab is null || t.Tab == tab).ToArray();
        if (tabs is null || (tab is not null && tabs.Length == 0))
        {
            return null;
        }

        var delivered = await Task.WhenAll(tabs.Select(t =>
            grains.Get<ITabGrain>(new TabAddress(session, t.Tab, t.Channel).ToGrainKey()).PushAsync(push.Payload, push.Key)));
        return (delivered.Count(d => d), 0);
    }

    /// <summary>A tab target is "&lt;session&gt;/&lt;tab id&gt;": tab ids are scoped to their session.</summary>
    private static Task<(int Delivered, int Queued)?> ToTabAsync(IGrainFactory grains, string target, Push push)
    {
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0
            ? Task.FromResult<(int Delivered, int Queued)?>(null)
            : ToSessionAsync(grains, target[..slash], push, PushDelivery.All, target[(slash + 1)..]);
    }

    private static async Task<int?> ToTopicAsync(IGrainFactory grains, string topic, Push push)
    {
        await grains.Get<ITopicGrain>(topic).PublishAsync(push.Payload, push.Key);
        var live = await grains.GetGrain<IFrontEndDirectoryGrain>(0).GetLiveAsync();
        return live.Sum(l => l.Stats.DashboardTabs);
    }

    private static bool KeyMatches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>What is pushed: the payload (JSON object text) and the optional idempotency key.</summary>
    private sealed record Push(string Payload, string? Key);

    private sealed record PushRequest(string? Kind, string? Target, string? Payload, string? Error, PushDelivery Delivery = PushDelivery.All)
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

                return new PushRequest(named[0].Name, value, payload.GetRawText(), null, delivery);
            }
        }

        private static PushRequest Fail(string error) => new(null, null, null, error);
    }
}
