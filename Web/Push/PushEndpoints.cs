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
using OrleansTabs.Web.Protocol;

namespace OrleansTabs.Web.Push;

/// <summary>
/// <c>POST /api/push</c>: server-originated frames to a user, session, tab, room or topic (PROTOCOL.md section 1).
/// Frames to a tab (and so to a user's or session's tabs) go on each tab's own resumable <c>tab</c> stream.
/// </summary>
public static class PushEndpoints
{
    /// <summary>The header carrying the push API key.</summary>
    public const string KeyHeader = "X-Push-Key";

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

        var request = await PushRequest.ReadAsync(context);
        if (request.Error is { } error)
        {
            return Results.Problem(statusCode: 400, title: "Invalid push request.", detail: error);
        }

        var delivered = request.Kind switch
        {
            "user" => await ToUserAsync(grains, request.Target!, request.Payload!),
            "session" => await ToSessionAsync(grains, request.Target!, request.Payload!, tab: null),
            "tab" => await ToTabAsync(grains, request.Target!, request.Payload!),
            "room" => await grains.GetGrain<IRoomGrain>(request.Target!).PublishAsync(request.Payload!),
            _ => await ToTopicAsync(grains, request.Target!, request.Payload!),
        };
        return delivered is null
            ? Results.Problem(statusCode: 404, title: "Unknown target.", detail: $"No {request.Kind} '{request.Target}' is known.")
            : Results.Json(new { delivered }, statusCode: 202);
    }

    private static async Task<int?> ToUserAsync(IGrainFactory grains, string user, string payload)
    {
        var sessions = await grains.GetGrain<IUserGrain>(user).GetSessionsAsync();
        if (sessions.Length == 0)
        {
            return null;
        }

        var counts = await Task.WhenAll(sessions.Select(s => ToSessionAsync(grains, s, payload, tab: null)));
        return counts.Sum(c => c ?? 0);
    }

    /// <summary>A tab target is "&lt;session&gt;/&lt;tab id&gt;": tab ids are scoped to their session.</summary>
    private static Task<int?> ToTabAsync(IGrainFactory grains, string target, string payload)
    {
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 ? Task.FromResult<int?>(null) : ToSessionAsync(grains, target[..slash], payload, target[(slash + 1)..]);
    }

    private static async Task<int?> ToSessionAsync(IGrainFactory grains, string session, string payload, string? tab)
    {
        // A push is not activity of the session: it must not keep an idle session alive.
        var attached = await grains.GetGrain<ISessionGrain>(session).GetTabsAsync();
        var tabs = attached?.Where(t => tab is null || t.Tab == tab).ToArray();
        if (tabs is null || (tab is not null && tabs.Length == 0))
        {
            return null;
        }

        var delivered = await Task.WhenAll(tabs.Select(t =>
            grains.GetGrain<ITabGrain>(new TabAddress(session, t.Tab, t.Channel).ToGrainKey()).PushAsync(payload)));
        return delivered.Count(d => d);
    }

    private static async Task<int?> ToTopicAsync(IGrainFactory grains, string topic, string payload)
    {
        await grains.GetGrain<ITopicGrain>(topic).PublishAsync(payload);
        var live = await grains.GetGrain<IFrontEndDirectoryGrain>(0).GetLiveAsync();
        return live.Sum(l => l.Stats.DashboardTabs);
    }

    private static bool KeyMatches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private sealed record PushRequest(string? Kind, string? Target, string? Payload, string? Error)
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

                return new PushRequest(named[0].Name, value, payload.GetRawText(), null);
            }
        }

        private static PushRequest Fail(string error) => new(null, null, null, error);
    }
}
