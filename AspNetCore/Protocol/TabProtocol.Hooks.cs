using OrleansTabs.AspNetCore.Hooks;
using OrleansTabs.Sessions;
using OrleansTabs.Tabs;

namespace OrleansTabs.AspNetCore.Protocol;

/// <summary>
/// The application's hooks on this socket (docs/protocol.md, "The application's hooks"): the tab's context, read from its
/// session once (at connect when there is an authorizer, else when a hook first needs it), and the authorizer's say on
/// joins and sends.
/// A socket without hooks never reads the context and never makes the token its hooks are given.
/// </summary>
internal sealed partial class TabProtocol
{
    // One field for all of it: a socket without hooks carries no more than this reference and Hooks.
    private HookState? _hookState;

    /// <summary>The application's hooks; none unless the host added some.</summary>
    public TabHooks Hooks { get; init; } = TabHooks.None;

    /// <summary>The tab's context for the hooks, once known (the connect's authorizer read it).</summary>
    public TabContext? Context
    {
        get => Volatile.Read(ref _hookState)?.Tab;
        init => _hookState = value is null ? null : new HookState { Tab = value };
    }

    /// <summary>This socket's hook state, made when a hook first needs it.</summary>
    private HookState Hooked
    {
        get
        {
            if (Volatile.Read(ref _hookState) is { } state)
            {
                return state;
            }

            var made = new HookState();
            return Interlocked.CompareExchange(ref _hookState, made, null) ?? made;
        }
    }

    /// <summary>
    /// The tab's context, read from the session at its first use; null if the session is no longer live. Hooks that need it
    /// together share one read; a read that failed is made again by the next hook.
    /// </summary>
    private async ValueTask<TabContext?> ContextAsync()
    {
        var state = Hooked;
        if (Volatile.Read(ref state.Tab) is { } known)
        {
            return known;
        }

        var reading = new TaskCompletionSource<TabContext?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref state.Reading, reading, null) is { } other)
        {
            return await other.Task;
        }

        try
        {
            var session = grains.Get<ISessionGrain>(socket.Address.Session);
            var tab = await RetryAsync((session, socket.Address), static s => TabHooks.ReadContextAsync(s.session, s.Address), "context");
            Volatile.Write(ref state.Tab, tab);
            reading.SetResult(tab);
            return tab;
        }
        catch (Exception ex)
        {
            Volatile.Write(ref state.Reading, null);
            reading.SetException(ex);

            // Observed here: the hooks that shared the read rethrow it, and there may be none.
            _ = reading.Task.Exception;
            throw;
        }
    }

    /// <summary>The token the hooks are given: cancelled when the socket starts to close. Made at the first hook that runs.</summary>
    private CancellationToken Ending
    {
        get
        {
            var state = Hooked;
            if (Volatile.Read(ref state.Ending) is { } known)
            {
                return known.Token;
            }

            var made = new CancellationTokenSource();
            if (Interlocked.CompareExchange(ref state.Ending, made, null) is { } other)
            {
                made.Dispose();
                return other.Token;
            }

            CancelOnCloseAsync(made).Ignore();
            return made.Token;
        }
    }

    private async Task CancelOnCloseAsync(CancellationTokenSource ending)
    {
        await socket.CloseRequested;
        await ending.CancelAsync();
    }

    /// <summary>
    /// Asks the authorizer about a <c>join</c> or a <c>send</c>: null if allowed, else the refusal to answer with
    /// (<c>forbidden</c>, or <c>internal</c> when the authorizer failed). A session found ended closes the socket.
    /// </summary>
    private async ValueTask<ProtocolError?> AuthorizeAsync(ITabsAuthorizer authorizer, string room, bool send, string? reference)
    {
        var what = send ? "send" : "join";
        try
        {
            if (await ContextAsync() is not { } tab)
            {
                socket.Close(CloseReason.SessionEnded);
                return new ProtocolError(ErrorCodes.Forbidden, "The session ended.", reference);
            }

            var decision = send
                ? await authorizer.AuthorizeSendAsync(tab, room, Ending)
                : await authorizer.AuthorizeJoinAsync(tab, room, Ending);
            return decision.IsAllowed
                ? null
                : new ProtocolError(ErrorCodes.Forbidden, decision.Message ?? (send ? $"This tab may not send to room '{room}'." : $"This tab may not join room '{room}'."), reference);
        }
        catch (Exception ex)
        {
            if (!Ending.IsCancellationRequested)
            {
                LogHookFailed(logger, ex, socket.ConnectionId, what);
            }

            return new ProtocolError(ErrorCodes.Internal, $"The server could not check the {what}; it may be retried.", reference);
        }
    }

    /// <summary>
    /// Answers a frame the authorizer refused, once <paramref name="previous"/> was answered: a denial is fenced first like
    /// every refused frame (an ended session's frame closes with 4501 instead); a failure is the server's, not counted
    /// towards the error storm. Never throws.
    /// </summary>
    private async Task RefuseAuthorizedAsync(ProtocolError refusal, Task previous)
    {
        var verdict = FrameVerdict.Ok;
        if (refusal.Code != ErrorCodes.Internal)
        {
            try
            {
                verdict = await AskAsync(static (g, id) => g.TouchAsync(id), "fence");
            }
            catch (Exception ex)
            {
                LogFrameFailed(logger, ex, socket.ConnectionId);
                refusal = refusal with { Code = ErrorCodes.Internal, Message = "The server could not process the frame; it may be retried." };
            }
        }

        await previous;
        if (!Allowed(verdict))
        {
            return;
        }

        if (refusal.Code == ErrorCodes.Internal)
        {
            Fail(refusal);
        }
        else
        {
            Refuse(refusal);
        }
    }

    /// <summary>What the hooks keep of one socket; fields, so that they are read and set with Interlocked.</summary>
    private sealed class HookState
    {
        public TabContext? Tab;
        public TaskCompletionSource<TabContext?>? Reading;
        public CancellationTokenSource? Ending;
        public int CallsInFlight;
    }
}
