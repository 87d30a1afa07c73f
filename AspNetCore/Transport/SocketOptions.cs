namespace OrleansTabs.AspNetCore.Transport;

/// <summary>Limits and timers of the WebSocket endpoints (docs/protocol.md sections 2-5), bound from <c>OrleansTabs:Sockets</c>.</summary>
public sealed class SocketOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OrleansTabs:Sockets";

    /// <summary>The largest client frame accepted; a larger one closes the socket with 1009.</summary>
    public int MaxFrameBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Outbound frames queued per socket; a consumer that lets the queue overflow is closed with 4013. A backstop
    /// behind <see cref="SendQueueBytes"/> against floods of tiny frames: it bounds the queue's entries, the memory a
    /// socket holds alone (frames are shared by every socket they go to), and the default keeps their array out of the
    /// large object heap. A burst of a fast room is bounded by its bytes and by <see cref="SendQueueMaxDelay"/>, not
    /// by this.
    /// </summary>
    public int SendQueueCapacity { get; set; } = 4096;

    /// <summary>
    /// Bytes of outbound frames queued per socket, the queue's primary bound; a consumer that lets them overflow is
    /// closed with 4013. A frame larger than this still goes out when the queue is empty.
    /// </summary>
    public int SendQueueBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How long the oldest outbound frame of a socket may wait in its queue: a consumer that falls further behind is
    /// too slow and is closed with 4013, however few bytes it has queued. Checked by the front-end's sweep, which
    /// samples each queue every second at most without timing each frame: a consumer is never closed while its oldest
    /// frame waited less than this, and is closed once a frame waits about twice this.
    /// </summary>
    public TimeSpan SendQueueMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Chat sends of one socket in flight at once (read, not yet acknowledged). The socket reads on while fewer are
    /// pending; at the limit it stops reading until the oldest is acknowledged, so a fast sender meets TCP backpressure.
    /// </summary>
    public int MaxSendsInFlight { get; set; } = 64;

    /// <summary>
    /// <c>call</c> frames of one socket being answered at once; one more gets <c>error</c> <c>rate_limited</c>. Calls run
    /// beside the socket's other frames, so this bounds what one tab holds on the front-end.
    /// </summary>
    public int MaxCallsInFlight { get; set; } = 16;

    /// <summary>The interval at which clients ping (<c>heartbeatMs</c> in <c>welcome</c>); 2x this with no frame closes with 4008.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Interval of WebSocket-level keep-alive pings sent by the server.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the server waits for a keep-alive pong before it aborts the socket.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one outbound write may take before the socket is aborted (checked by the front-end's sweep, every second at most).</summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a closing socket waits for the peer's close frame before it is aborted.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Deadline for registering a new socket with its tab grain; past it the socket is closed with 1011.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one attempt of an idempotent grain call (a connect's registration, a command other than <c>send</c>)
    /// waits for its answer before the front-end asks again, within <see cref="HandshakeTimeout"/> or
    /// <see cref="CommandTimeout"/>. A request lost in the cluster is otherwise answered only by its response timeout.
    /// </summary>
    public TimeSpan CallAttemptTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a command other than <c>send</c> may take, its attempts included; past it the frame gets <c>error</c> <c>internal</c>.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long live stream frames wait after <c>welcome</c> for a <c>resume</c> (the first client frame ends the wait
    /// early), so a resume's replay is never overtaken by newer frames.
    /// </summary>
    public TimeSpan ResumeWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Origins allowed to open sockets. Empty means the server's own origin only.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Refused frames (error frames) allowed within <see cref="ErrorWindow"/> before the socket is closed with 1008.</summary>
    public int ErrorLimit { get; set; } = 20;

    /// <summary>The window over which <see cref="ErrorLimit"/> counts.</summary>
    public TimeSpan ErrorWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Sustained client frames per second per socket; frames beyond it get <c>rate_limited</c>.</summary>
    public int FramesPerSecond { get; set; } = 50;

    /// <summary>Burst of client frames allowed above the sustained rate.</summary>
    public int FrameBurst { get; set; } = 100;
}
