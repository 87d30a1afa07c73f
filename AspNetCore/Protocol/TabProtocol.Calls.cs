using System.Text.Json;

namespace OrleansTabs.AspNetCore.Protocol;

/// <summary>
/// <c>call</c> frames (docs/protocol.md, "The application's hooks"): each is fenced through the tab grain, then answered
/// by the application's handler of its method, beside the socket's other frames and at most
/// <see cref="SocketOptions.MaxCallsInFlight"/> at once; exactly one <c>result</c> or <c>error</c> per call.
/// </summary>
internal sealed partial class TabProtocol
{
    /// <summary>Starts the call and returns at once: the next frame is read while the handler runs.</summary>
    private async Task CallAsync(ClientFrame frame)
    {
        if (ReadCall(frame, out var error) is not { } call)
        {
            await RefuseFencedAsync(error!);
            return;
        }

        if (Interlocked.Increment(ref Hooked.CallsInFlight) > options.MaxCallsInFlight)
        {
            Interlocked.Decrement(ref Hooked.CallsInFlight);

            // The tab's pace, not a malformed frame: not counted towards the error storm.
            if (Allowed(await AskAsync(static (g, id) => g.TouchAsync(id), "fence")))
            {
                socket.Send(ServerFrames.Error(ErrorCodes.RateLimited, $"At most {options.MaxCallsInFlight} calls may be in flight; call again once one is answered.", call.Id));
            }

            return;
        }

        // The frame's document goes when this frame's handling ends; the handler keeps its own copy of the arguments.
        var args = call.Args.ValueKind == JsonValueKind.Undefined ? default : call.Args.Clone();
        RunCallAsync(call.Id, call.Method, args).Ignore();
    }

    /// <summary>Fences the call, runs its handler and answers it. Never throws.</summary>
    private async Task RunCallAsync(string id, string method, JsonElement args)
    {
        using var span = FrontEndTracing.StartFrame(socket.Address.Channel, "call", socket.Address.Tab);
        span?.SetTag("orleanstabs.method", method);
        try
        {
            if (Allowed(await AskAsync(static (g, connection) => g.TouchAsync(connection), "call"))
                && await AnswerAsync(id, method, args) is { } answer)
            {
                socket.Send(answer);
            }
        }
        catch (Exception ex)
        {
            LogFrameFailed(logger, ex, socket.ConnectionId);
            Fail(new ProtocolError(ErrorCodes.Internal, "The server could not process the call; it may be retried.", id));
        }
        finally
        {
            Interlocked.Decrement(ref Hooked.CallsInFlight);
        }
    }

    /// <summary>The call's <c>result</c> or <c>error</c> frame; null when the socket is ending and nothing is answered.</summary>
    private async Task<byte[]?> AnswerAsync(string id, string method, JsonElement args)
    {
        if (Hooks.Handler(method) is not { } handler)
        {
            return ServerFrames.Error(ErrorCodes.UnknownMethod, $"No method '{method}'.", id);
        }

        if (await ContextAsync() is not { } tab)
        {
            socket.Close(CloseReason.SessionEnded);
            return null;
        }

        var ending = Ending;
        byte[] result;
        try
        {
            result = ServerFrames.Result(id, await handler.HandleAsync(tab, args, ending));
        }
        catch (TabCallException ex) when (IsApplicationCode(ex.Code))
        {
            return ServerFrames.Error(ex.Code, ex.Message, id);
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex)
        {
            if (ex is TabCallException refused)
            {
                LogCallCodeInvalid(logger, socket.ConnectionId, method, refused.Code);
            }
            else
            {
                LogCallFailed(logger, ex, socket.ConnectionId, method);
            }

            return ServerFrames.Error(ErrorCodes.Internal, $"The call of '{method}' failed.", id);
        }

        return result.Length <= options.MaxFrameBytes
            ? result
            : ServerFrames.Error(ErrorCodes.TooLarge, $"The result is larger than {options.MaxFrameBytes} bytes.", id);
    }

    /// <summary>An application's error code: <c>[a-z][a-z0-9_]{0,31}</c>.</summary>
    private static bool IsApplicationCode(string? code) =>
        code is { Length: >= 1 and <= 32 } && char.IsAsciiLetterLower(code[0]) && code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    private static (string Id, string Method, JsonElement Args)? ReadCall(ClientFrame frame, out ProtocolError? error)
    {
        var id = frame.RequiredString("id", out error);
        if (error is null && !Identifiers.IsClientMessageId(id))
        {
            error = new ProtocolError(ErrorCodes.InvalidField, "'id' must be 1-64 characters.", frame.Id);
        }

        var method = error is null ? frame.RequiredString("method", out error) : null;
        if (error is null && !Identifiers.IsMethod(method))
        {
            error = new ProtocolError(ErrorCodes.InvalidField, "'method' must be 1-64 characters of [A-Za-z0-9_.-].", frame.Id);
        }

        // Absent args and an explicit null are the same: no arguments.
        var args = frame.Root.TryGetProperty("args", out var value) && value.ValueKind != JsonValueKind.Null ? value : default;
        return error is null ? (id!, method!, args) : null;
    }
}
