/** OrleansTabs browser client, wire protocol v1. Types for orleanstabs.js. */

export declare const PROTOCOL_VERSION: 1;

export type Channel = 'chat' | 'dashboard';
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed' | 'signed-out' | 'duplicate';

export interface StreamPosition { epoch: string; offset: number; }

/** A close as seen by the client; `parsed` is the JSON close reason, or null. */
export interface CloseInfo { code: number; reason: string; parsed: any; }

export interface Session { user: string; session: string; expiresAt: string; }
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
  type: 'welcome'; v: number; tab: string; instance: string; channel: Channel; user: string;
  heartbeatMs: number; streams: Record<string, StreamPosition>;
}
export interface MessageFrame {
  type: 'message'; stream: string; epoch: string; offset: number; id: string;
  clientId?: string; from?: { user: string; tab: string }; room?: string;
  text?: string; payload?: unknown; ts: string | number;
}
export interface SnapshotFrame { type: 'snapshot'; topic: string; data: any; ts: string | number; }
export interface AckFrame { type: 'ack'; id: string; stream: string; offset: number; }
export interface JoinedFrame { type: 'joined' | 'left'; room: string; stream: string; epoch: string; offset: number; }
export interface ResumedFrame { type: 'resumed'; streams: Record<string, { replayed: number; recovered: boolean }>; }
/** `room` is added by the client for `room:` streams (it has already asked for `history`). */
export interface ResetFrame { type: 'reset'; stream: string; reason: 'gap' | 'epoch' | string; room?: string; }
export interface HistoryFrame { type: 'history'; room: string; messages: MessageFrame[]; }
export interface ErrorFrame { type: 'error'; code: string; message: string; ref?: string | null; }

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

/** Options of {@link configure}, for every later call. */
export interface ClientOptions {
  /**
   * The server's origin (and optional path prefix), e.g. `https://api.example.com`; `null` or `''` goes back to the
   * page's own origin. Sockets use `wss:` for `https:` and `ws:` for `http:`; requests carry the session cookie
   * (`credentials: 'include'`), which needs the server's CORS and WebSocket origin settings.
   */
  baseUrl?: string | null;
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
  joined: CustomEvent<JoinedFrame>;
  left: CustomEvent<JoinedFrame>;
  history: CustomEvent<HistoryFrame>;
  reset: CustomEvent<ResetFrame>;
  resumed: CustomEvent<ResumedFrame>;
  error: CustomEvent<ErrorFrame>;
  close: CustomEvent<CloseInfo>;
}

/**
 * Raised for HTTP problems (`http_<status>`), refused sends (the error frame's code), closed connections (`closed`,
 * `signed_out`), and by {@link connect} where there is no WebSocket (`no_websocket`) or no server (`no_server`).
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
  /** Rooms known to be joined (display only; the server owns membership). */
  readonly rooms: string[];

  /** Chat only. Queued until the next `welcome` when not connected. */
  join(room: string): void;
  leave(room: string): void;
  /** Follows who is in a joined room (docs/protocol.md 6.2); the same object for the same room until closed. */
  presence(room: string): RoomPresence;
  /** Chat only. Resolves with the ack; rejects with the error frame's code or when the connection ends. */
  send(room: string, text: string): Promise<AckFrame> & { id: string };
  /** Chat only. The reply arrives as a `history` event. */
  history(room: string, page?: { before?: number; limit?: number }): void;
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
export interface PresentTab { tab: string; visibility: 'visible' | 'hidden'; focused: boolean; since: string; }

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

/** Sets options for every later call; a bad `baseUrl` (not an absolute http(s) URL) is a `TypeError`. */
export declare function configure(options: ClientOptions): void;
export declare function signIn(user: string, options?: RequestOptions): Promise<Session>;
/** Sign-in from the host's identity: a bodiless login with an optional bearer token. */
export declare function signInWithIdentity(options?: { token?: string } & RequestOptions): Promise<Session>;
/** Ends the session; `{ everywhere: true }` ends every session of the user (docs/protocol.md 6.6). */
export declare function signOut(options?: { everywhere?: boolean } & RequestOptions): Promise<void>;
/** null when not signed in (401). */
export declare function me(options?: RequestOptions): Promise<SessionInfo | null>;
export declare function connect(channel: Channel, options?: ConnectOptions): TabConnection;
