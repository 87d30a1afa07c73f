using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OrleansTabs.Tests.AppHost;

/// <summary>The application's own HTTP endpoints, beside OrleansTabs' and behind its own authorization.</summary>
public static class AppEndpoints
{
    /// <summary>
    /// <c>POST /app/rooms/{room}/join-session/{session}</c>: an administrator makes a session a member of a room.
    /// <c>POST /app/me/rooms/{name}</c>: the caller's own session (its cookie) joins its team's room (its bearer token).
    /// </summary>
    public static IEndpointRouteBuilder MapAppEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/app/rooms/{room}/join-session/{session}", async (string room, string session, IOrleansTabs tabs, CancellationToken cancellationToken) =>
        {
            await tabs.JoinAsync(TabsTarget.Session(session), room, cancellationToken);
            return Results.NoContent();
        }).RequireAuthorization(AppBearer.AdminRole);

        app.MapPost("/app/me/rooms/{name}", async (string name, ClaimsPrincipal user, IOrleansTabs tabs, CancellationToken cancellationToken) =>
        {
            if (user.GetTabsSession() is not { } session)
            {
                return Results.Problem(statusCode: 400, title: "No session.", detail: "Sign in at /auth/login first.");
            }

            await tabs.JoinAsync(TabsTarget.Session(session), TeamRooms.RoomOf(user.FindFirstValue(TeamRooms.TeamClaim)!, name), cancellationToken);
            return Results.NoContent();
        }).RequireAuthorization(AppBearer.TeamMember);
        return app;
    }
}
