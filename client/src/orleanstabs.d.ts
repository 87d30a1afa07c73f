/** OrleansTabs browser (and Node) client, wire protocol v1. Types for orleanstabs.js. */

export declare const PROTOCOL_VERSION: 1;

export type Channel = 'chat' | 'dashboard';
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed' | 'signed-out' | 'duplicate';

export interface StreamPosition { epoch: string; offset: number; }

/** A close as seen by the client; `parsed` is the JSON close reason, or null. */
export interface CloseInfo { code: number; reason: string; parsed: any; }

export interface Session {
  /** The identity's stable subject (docs/protocol.md 7.4). */
  user: string;
  /** The session's public handle. */
  session: string;
  expiresAt: string;
  /** The session token (docs/protocol.md 7.5); the client keeps it in token mode. */
  token?: string;
}
export interface SessionInfo extends Session {
  tabs: {
    tab: string; channel: string; connected: boolean; frontEnd: string | null;
    /** When the tab's latest connection started. */
    connectedAt: string;
    /** How the tab's previous connection ended, once one has (docs/protocol.md 6.5). */
    lastClose?: { code: number; reason: string; at: string };
  }[];
}

export interface WelcomeFrame {
  type: 'welcome'; v: number; tab: string; instance: string; channel: Channel;
  /** The stable subject. */
  user: string;
  /** The display name (the `name` claim, else the subject). */
  name?: string;
  heartbeatMs: number;
  /** Every stream of the tab with its head: the rooms it is a member of (also those the server joined) as `room:<name>`. */
  streams: Record<string, StreamPosition>;
}
/** The sender of a user's message: `user` is the stable subject, `name` the display name. */
export interface UserSender { user: string; name?: string; tab: string; server?: never; }
/** The sender of a message the application published from its own code (docs/protocol.md 7.3). */
export interface ServerSender { server: true; user?: never; name?: never; tab?: never; }
export type MessageSender = UserSender | ServerSender;
export interface MessageFrame {
  type: 'message'; stream: string; epoch: string; offset: number; id: string;
  clientId?: string; from?: MessageSender; room?: string;
  /** A user's chat message has `text`; a server publish or push has `payload`. */
  text?: string; payload?: unknown; ts: string | number;
}
export interface SnapshotFrame { type: 'snapshot'; topic: string; data: any; ts: string | number; }
export interface AckFrame { type: 'ack'; id: string; stream: string; offset: number; }
export interface JoinedFrame {
  type: 'joined' | 'left'; room: string; stream: string; epoch: string; offset: number;
  /** Present when the server decided the membership (docs/protocol.md 7.3): no `join`/`leave` of this tab asked for it. */
  by?: 'server';
}
export interface ResumedFrame { type: 'resumed'; streams: Record<string, { replayed: number; recovered: boolean }>; }
/** `room` is added by the client for `room:` streams (it has already asked for `history`). */
export interface ResetFrame { type: 'reset'; stream: string; reason: 'gap' | 'epoch' | string; room?: string; }
/**
 * A page of history, oldest first. `truncated`: the server's byte budget cut the page short and older messages remain;
 * ask for them with `history(room, { before: messages[0].offset })`.
 */
export interface HistoryFrame { type: 'history'; room: string; messages: MessageFrame[]; truncated?: true; }
/** The answer to a `call` with that id (`ref`). */
export interface ResultFrame { type: 'result'; ref: string; data: unknown; }
export interface ErrorFrame {
  type: 'error';
  /** A protocol code (`not_member`, `forbidden`, `unknown_method`, ...) or the application's own (`[a-z][a-z0-9_]{0,31}`). */
  code: string;
  message: string;
  /** The `id` of the refused frame (a send, call, join, leave or history), when it had one. */
  ref?: string | null;
  retryAfterMs?: number;
}

/** The `cluster` topic's snapshot data. */
export interface ClusterData {
  sessions: number;
  tabs: { chat: number; dashboard: number };
  framesInPerSecond: number;
  framesOutPerSecond: number;
  frontEnds: number | unknown[];
}

export interface ConnectOptions {
  /** sessionStorage key of the tab id (default `orleanstabs.tab`). */
  storageKey?: string;
  /** How long to wait for a duplicate-tab answer on the BroadcastChannel (default 150 ms). */
  probeMs?: number;
  /** First backoff cap (default 500 ms); doubles per failure, full jitter. */
  baseDelayMs?: number;
  /** Largest backoff cap (default 30000 ms). */
  maxDelayMs?: number;
  /** Drop a connect attempt that got no `welcome` after this (default 10000 ms). */
  connectTimeoutMs?: number;
  /** The server, e.g. `https://api.example.com` (default: {@link configure}'s, else this page's origin). */
  baseUrl?: string;
}

/** How the session is proven: the session cookie, or the session token (docs/protocol.md 7.5). */
export type AuthMode = 'cookie' | 'token';

/** Where token mode keeps the token: `sessionStorage`, `localStorage` or anything with these three methods. */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The part of a WebSocket the client uses: a browser's, or a Node package's such as `ws`. */
export interface WebSocketLike {
  readyState: number;
  send: (data: string) => void;
  close: (code?: number, reason?: string) => void;
  onopen: ((ev: any) => void) | null;
  onmessage: ((ev: any) => void) | null;
  onclose: ((ev: any) => void) | null;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Options of {@link configure}, for every later call. */
export interface ClientOptions {
  /**
   * The server's origin (and optional path prefix), e.g. `https://api.example.com`; `null` or `''` goes back to the
   * page's own origin. Sockets use `wss:` for `https:` and `ws:` for `http:`; in cookie mode requests carry the session
   * cookie (`credentials: 'include'`), which needs the server's CORS and WebSocket origin settings.
   */
  baseUrl?: string | null;
  /**
   * `cookie` (default) or `token`: the token from sign-in goes in the socket URL as `access_token` and in
   * `Authorization: Session <token>` on `/auth/me` and `/auth/logout`; no request carries cookies (`credentials: 'omit'`).
   */
  auth?: AuthMode;
  /** A session token to use (`null` forgets it); giving one turns token mode on unless `auth` says otherwise. */
  token?: string | null;
  /** Where token mode keeps the token (default, and `null`: memory only). */
  tokenStorage?: TokenStorage | null;
  /** The WebSocket class to use (Node 20 has none: e.g. the `ws` package's); `null` goes back to the global one. */
  WebSocket?: WebSocketConstructor | null;
  /** The fetch to use; `null` goes back to the global one. */
  fetch?: FetchLike | null;
}

/** Per-call options of {@link signIn}, {@link signOut} and {@link me}. */
export interface RequestOptions {
  /** The server for this call (default: {@link configure}'s, else this page's origin). */
  baseUrl?: string;
}

export interface TabConnectionEventMap {
  state: CustomEvent<{ state: ConnectionState; previous: ConnectionState | null }>;
  welcome: CustomEvent<WelcomeFrame>;
  message: CustomEvent<MessageFrame>;
  snapshot: CustomEvent<SnapshotFrame>;
  ack: CustomEvent<AckFrame>;
  result: CustomEvent<ResultFrame>;
  joined: CustomEvent<JoinedFrame>;
  left: CustomEvent<JoinedFrame>;
  history: CustomEvent<HistoryFrame>;
  reset: CustomEvent<ResetFrame>;
  resumed: CustomEvent<ResumedFrame>;
  error: CustomEvent<ErrorFrame>;
  close: CustomEvent<CloseInfo>;
}

/**
 * Raised for HTTP problems (`http_<status>`), refused frames (the error frame's code), calls whose socket was lost
 * (`disconnected`), closed connections (`closed`, `signed_out`), and by {@link connect} where there is no WebSocket
 * (`no_websocket`), no server (`no_server`) or, in token mode, no token (`no_token`). Calls and requests whose
 * arguments are wrong (a method or room name outside the protocol's charset) throw it at once (`invalid_field`).
 */
export declare class OrleansTabsError extends Error {
  constructor(code: string, message: string, detail?: any);
  readonly code: string;
  readonly detail: any;
}

export declare class TabConnection extends EventTarget {
  constructor(channel: Channel, options?: ConnectOptions);
  readonly channel: Channel;
  readonly tabId: string;
  readonly instanceId: string;
  readonly state: ConnectionState;
  readonly lastClose: CloseInfo | null;
  /** Rooms known to be joined, also those the server joined (display only; the server owns membership). */
  readonly rooms: string[];

  /**
   * Chat only. Queued until the next `welcome` when not connected, written again on the next socket when the reply was
   * lost with its socket (a join is idempotent). Resolves with the `joined` reply; rejects with the `error` frame's code
   * (`forbidden`, `invalid_field`, ...) or `closed`/`signed_out`. Ignoring the promise is fine: refusals are also
   * `error` events.
   */
  join(room: string): Promise<JoinedFrame>;
  /** Chat only. As {@link join}; a room the server joined (7.3) rejects with `forbidden`. */
  leave(room: string): Promise<JoinedFrame>;
  /**
   * Chat only. Calls the application's handler (docs/protocol.md 7.1); `method` is 1-64 characters of `[A-Za-z0-9_.-]`
   * (else it throws `invalid_field`), `args` any JSON. Resolves with the result's `data`, once; rejects with the error
   * frame's code (`unknown_method`, `forbidden`, `internal`, `not_allowed`, `invalid_field` or the application's own),
   * with `disconnected` when its socket is lost before the answer (never sent twice), or `closed`/`signed_out`.
   * `.id` is the answer's `ref`.
   */
  call<T = any>(method: string, args?: unknown): Promise<T> & { id: string };
  /** Follows who is in a joined room (docs/protocol.md 6.2); the same object for the same room until closed. */
  presence(room: string): RoomPresence;
  /** Chat only. Resolves with the ack; rejects with the error frame's code or when the connection ends. */
  send(room: string, text: string): Promise<AckFrame> & { id: string };
  /** Chat only. Resolves with the reply, which also arrives as a `history` event; rejects as {@link join} does. */
  history(room: string, page?: { before?: number; limit?: number }): Promise<HistoryFrame>;
  close(): void;

  addEventListener<K extends keyof TabConnectionEventMap>(
    type: K, listener: (ev: TabConnectionEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof TabConnectionEventMap>(
    type: K, listener: (ev: TabConnectionEventMap[K]) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions): void;
}

/** A tab present in a room (docs/protocol.md 6.2). */
export interface PresentTab {
  tab: string; visibility: 'visible' | 'hidden'; focused: boolean; since: string;
  /** The user's display name (docs/protocol.md 7.4); the state's keys are the stable subjects. */
  name?: string;
}

export interface PresenceChange { state: Map<string, PresentTab[]>; online: string[]; offline: string[]; }

/** Who is in a joined room, kept current from the server's diffs; asks again after each reconnect. */
export declare class RoomPresence extends EventTarget {
  /** Made by {@link TabConnection.presence}: `detach` forgets it there. */
  constructor(room: string, detach: () => void);
  readonly room: string;
  /** Each present user's present tabs. */
  get state(): Map<string, PresentTab[]>;
  /** Stops following the room. */
  close(): void;
  addEventListener(type: 'change', listener: (ev: CustomEvent<PresenceChange>) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener(type: 'change', listener: (ev: CustomEvent<PresenceChange>) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/** Sets options for every later call; a bad `baseUrl` (not an absolute http(s) URL) or `auth` is a `TypeError`. */
export declare function configure(options: ClientOptions): void;
/** Development sign-in; in token mode keeps the answer's token (and rejects with `no_token` when there is none). */
export declare function signIn(user: string, options?: RequestOptions): Promise<Session>;
/** Sign-in from the host's identity: a bodiless login with an optional bearer token. */
export declare function signInWithIdentity(options?: { token?: string } & RequestOptions): Promise<Session>;
/** Ends the session; `{ everywhere: true }` ends every session of the user (docs/protocol.md 6.6). Token mode forgets the token. */
export declare function signOut(options?: { everywhere?: boolean } & RequestOptions): Promise<void>;
/** null when not signed in (401; in token mode also without a token, and a refused token is forgotten). */
export declare function me(options?: RequestOptions): Promise<SessionInfo | null>;
export declare function connect(channel: Channel, options?: ConnectOptions): TabConnection;
