// @ts-check
/**
 * OrleansTabs browser client (wire protocol v1, see docs/protocol.md).
 * Dependency-free ES module: session helpers plus {@link TabConnection}, one
 * resumable WebSocket per (tab, channel) with reconnect, heartbeat,
 * duplicate-tab detection, resume (also across a reload of the tab: stream
 * positions are kept in sessionStorage with the tab id), de-duplication,
 * cumulative acks, and promises for calls, joins, leaves and history pages.
 * Runs in Node too, in token mode with an injected WebSocket (see {@link configure}).
 * @module orleanstabs
 */

/** Wire protocol version sent as `v`. */
export const PROTOCOL_VERSION = 1;

const TAB_KEY = 'orleanstabs.tab';
const TOKEN_KEY = 'orleanstabs.token';
const BUS_NAME = 'orleanstabs-tabs';
const ID_RE = /^[A-Za-z0-9_-]{8,64}$/;
const ROOM_RE = /^[A-Za-z0-9_.-]{1,64}$/;
const METHOD_RE = /^[A-Za-z0-9_.-]{1,64}$/;
const DEFAULT_HEARTBEAT_MS = 15000;
/** The request that each membership or history reply answers. @type {Record<string, string>} */
const REQUEST_OF = { joined: 'join', left: 'leave', history: 'history' };

/** @typedef {'chat'|'dashboard'} Channel */
/** @typedef {'connecting'|'open'|'reconnecting'|'closed'|'signed-out'|'duplicate'} ConnectionState */
/** @typedef {{epoch: string, offset: number}} StreamPosition */
/** @typedef {{code: number, reason: string, parsed: any}} CloseInfo */
/** @typedef {{type: string, [field: string]: any}} Frame */
/** @typedef {'cookie'|'token'} AuthMode */
/**
 * Where token mode keeps the session token: `sessionStorage`, `localStorage` or anything with the same three methods.
 * @typedef {{getItem(key: string): string | null, setItem(key: string, value: string): void, removeItem(key: string): void}} TokenStorage
 */
/**
 * The part of a WebSocket the client uses: a browser's, or a Node package's such as `ws`.
 * @typedef {Object} WebSocketLike
 * @property {number} readyState
 * @property {(data: string) => void} send
 * @property {(code?: number, reason?: string) => void} close
 * @property {((ev: any) => void) | null} onopen
 * @property {((ev: any) => void) | null} onmessage
 * @property {((ev: any) => void) | null} onclose
 */
/** @typedef {new (url: string) => WebSocketLike} WebSocketConstructor */
/** @typedef {(input: string, init: RequestInit) => Promise<Response>} FetchLike */
/**
 * @typedef {Object} ConnectOptions
 * @property {string} [storageKey] sessionStorage key of the tab id (default `orleanstabs.tab`).
 * @property {number} [probeMs] how long to wait for a duplicate-tab answer (default 150).
 * @property {number} [baseDelayMs] first reconnect backoff cap (default 500).
 * @property {number} [maxDelayMs] largest reconnect backoff cap (default 30000).
 * @property {number} [connectTimeoutMs] give up on a connect without `welcome` after this (default 10000).
 * @property {string} [baseUrl] the server, e.g. `https://api.example.com` (default: {@link configure}'s, else this page's origin).
 */
/**
 * @typedef {Object} ClientOptions
 * @property {string | null} [baseUrl] the server's origin (and optional path prefix), e.g. `https://api.example.com`;
 *   `null` or `''` goes back to the page's own origin. The sockets use `ws:`/`wss:` of the same host.
 * @property {AuthMode} [auth] how the session is proven: `cookie` (default) or `token` (docs/protocol.md 7.5: the
 *   token from sign-in goes in the socket URL as `access_token` and in `Authorization: Session` on `/auth/me` and
 *   `/auth/logout`; no request carries cookies).
 * @property {string | null} [token] a session token to use (`null` forgets it); giving one turns token mode on.
 * @property {TokenStorage | null} [tokenStorage] where token mode keeps the token (default, and `null`: memory only).
 * @property {WebSocketConstructor | null} [WebSocket] the WebSocket class to use (Node: e.g. the `ws` package's);
 *   `null` goes back to the global one.
 * @property {FetchLike | null} [fetch] the fetch to use; `null` goes back to the global one.
 */
/**
 * @typedef {Object} RequestOptions
 * @property {string} [baseUrl] the server for this call (default: {@link configure}'s, else this page's origin).
 */

/** Error raised for HTTP problems, refused frames and closed connections. */
export class OrleansTabsError extends Error {
  /**
   * @param {string} code protocol error code (`not_member`, `closed`, `http_400`, ...)
   * @param {string} message human-readable text
   * @param {any} [detail] the problem body or error frame
   */
  constructor(code, message, detail) {
    super(message);
    this.name = 'OrleansTabsError';
    this.code = code;
    this.detail = detail;
  }
}

/** A random id of the protocol charset; falls back when `randomUUID` is missing (non-secure origins). */
function newId() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** @type {string | undefined} */
let instanceId;

/** Minted once per page load (on first use: importing touches no browser global) and never stored: tells a reload from a duplicated tab. */
function instance() {
  return instanceId ??= newId();
}

// ---------------------------------------------------------------- server

/** @type {string | null} */
let defaultBaseUrl = null;
/** @type {AuthMode} */
let authMode = 'cookie';
/** @type {TokenStorage | null} */
let tokenStorage = null;
/** @type {string | null} */
let memoryToken = null;
/** @type {WebSocketConstructor | null} */
let socketClass = null;
/** @type {FetchLike | null} */
let fetchFunction = null;

/**
 * Sets options for every later call: `baseUrl` points the client at a server on another origin. In cookie mode,
 * cross-origin requests carry the session cookie (`credentials: 'include'`), which needs the server's CORS and origin
 * settings; token mode (`auth: 'token'`) needs no cookie at all, for pages on another site and for Node.
 * @param {ClientOptions} options
 */
export function configure(options) {
  if (options.auth !== undefined && options.auth !== 'cookie' && options.auth !== 'token') {
    throw new TypeError(`auth must be 'cookie' or 'token': ${options.auth}`);
  }
  if (options.baseUrl !== undefined) defaultBaseUrl = options.baseUrl ? normalizeBaseUrl(options.baseUrl) : null;
  if (options.tokenStorage !== undefined) tokenStorage = options.tokenStorage;
  if (options.token !== undefined) {
    keepToken(options.token);
    if (options.token !== null && options.auth === undefined) authMode = 'token';
  }
  if (options.auth !== undefined) authMode = options.auth;
  if (options.WebSocket !== undefined) socketClass = options.WebSocket;
  if (options.fetch !== undefined) fetchFunction = options.fetch;
}

/** The session token of token mode, or null (none yet, or not readable). */
function currentToken() {
  if (memoryToken !== null || !tokenStorage) return memoryToken;
  try { return tokenStorage.getItem(TOKEN_KEY); } catch { return null; }
}

/** @param {string | null} token `null` forgets it */
function keepToken(token) {
  memoryToken = tokenStorage ? null : token;
  if (!tokenStorage) return;
  try {
    if (token === null) tokenStorage.removeItem(TOKEN_KEY);
    else tokenStorage.setItem(TOKEN_KEY, token);
  } catch { memoryToken = token; } // a storage that refuses still leaves this page signed in
}

/** The token to prove the session with, or null in cookie mode. */
function tokenIfTokenMode() {
  return authMode === 'token' ? currentToken() : null;
}

/**
 * An absolute `http:`/`https:` URL without a trailing slash; anything else is a `TypeError`.
 * @param {string} baseUrl
 */
function normalizeBaseUrl(baseUrl) {
  let url;
  try { url = new URL(baseUrl); } catch { throw new TypeError(`baseUrl must be an absolute http(s) URL: ${baseUrl}`); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`baseUrl must be an absolute http(s) URL: ${baseUrl}`);
  if (url.search || url.hash) throw new TypeError(`baseUrl must have no query or fragment: ${baseUrl}`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** @param {string | undefined} baseUrl */
function serverOf(baseUrl) {
  return baseUrl ? normalizeBaseUrl(baseUrl) : defaultBaseUrl;
}

/**
 * The URL of `path` (absolute, starting with `/`) on `server`, or `path` itself for the page's own origin.
 * @param {string | null} server @param {string} path
 */
function httpUrl(server, path) {
  return server ? `${server}${path}` : path;
}

/**
 * The WebSocket URL of `path` on `server` (or on the page's origin): `https:` becomes `wss:`, `http:` `ws:`.
 * @param {string | null} server @param {string} path
 */
function socketUrl(server, path) {
  if (server) return `${server.replace(/^http/, 'ws')}${path}`;
  if (typeof location === 'undefined') throw new OrleansTabsError('no_server', 'no page origin: configure({ baseUrl }) first');
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;
}

// ---------------------------------------------------------------- session

/**
 * @param {string | null} server
 * @param {string} method
 * @param {string} path
 * @param {any} [body]
 * @param {Record<string, string>} [extra] more request headers
 */
async function request(server, method, path, body, extra = {}) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json', ...extra };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const doFetch = fetchFunction ?? (typeof fetch === 'function' ? fetch : null);
  if (!doFetch) throw new OrleansTabsError('no_fetch', 'this environment has no fetch: configure({ fetch }) first');
  const res = await doFetch(httpUrl(server, path), {
    // Another origin gets the session cookie only when asked to (and when its CORS policy allows credentials);
    // token mode proves the session with the token alone, so no cookie of any origin rides along.
    method, headers, credentials: authMode === 'token' ? 'omit' : server ? 'include' : 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.ok) return res;
  let problem = null;
  try { problem = await res.json(); } catch { /* not JSON */ }
  const text = problem?.detail || problem?.title || `${res.status} ${res.statusText}`;
  throw new OrleansTabsError(`http_${res.status}`, text, problem);
}

/**
 * Keeps the token of a sign-in's answer in token mode; a server that answers none cannot serve token mode.
 * @param {Response} res
 * @returns {Promise<Session>}
 */
async function signedIn(res) {
  /** @type {Session} */
  const session = await res.json();
  if (authMode === 'token') {
    if (typeof session.token !== 'string' || !session.token) {
      throw new OrleansTabsError('no_token', 'the server answered the sign-in without a session token (docs/protocol.md 7.5)', session);
    }
    keepToken(session.token);
  }
  return session;
}

/**
 * The `Authorization` header of token mode for `/auth/me` and `/auth/logout`.
 * @param {string} token
 */
const sessionHeader = (token) => ({ Authorization: `Session ${token}` });

/**
 * @typedef {Object} Session
 * @property {string} user the identity's stable subject
 * @property {string} session the session's public handle
 * @property {string} expiresAt
 * @property {string} [token] the session token (docs/protocol.md 7.5), kept by the client in token mode
 */

/**
 * Development sign-in: creates a session and sets the auth cookie (in token mode: keeps the session token instead).
 * @param {string} user
 * @param {RequestOptions} [options]
 * @returns {Promise<Session>}
 */
export async function signIn(user, options = {}) {
  return signedIn(await request(serverOf(options.baseUrl), 'POST', '/auth/login', { user }));
}

/**
 * Sign-in from the host application's identity: a bodiless login that the server authenticates with its own schemes
 * (a bearer token given here, or a cookie of the host's OIDC sign-in). Creates a session and sets the auth cookie
 * (in token mode: keeps the session token instead).
 * @param {{token?: string} & RequestOptions} [options]
 * @returns {Promise<Session>}
 */
export async function signInWithIdentity(options = {}) {
  const { token } = options;
  return signedIn(await request(serverOf(options.baseUrl), 'POST', '/auth/login', undefined, token ? { Authorization: `Bearer ${token}` } : {}));
}

/**
 * Ends the session: the server closes every tab of it with 4501. `{everywhere: true}` signs the user out
 * of every session (every device), docs/protocol.md 6.6. In token mode the token is forgotten.
 * @param {{everywhere?: boolean} & RequestOptions} [options]
 */
export async function signOut(options = {}) {
  const token = tokenIfTokenMode();
  if (authMode === 'token' && !token) return; // no session to end
  try {
    await request(serverOf(options.baseUrl), 'POST', options.everywhere ? '/auth/logout?scope=user' : '/auth/logout',
      undefined, token ? sessionHeader(token) : {});
  } catch (e) {
    if (!(e instanceof OrleansTabsError && e.code === 'http_401')) throw e; // already signed out
  }
  if (token) keepToken(null);
}

/**
 * The current session, or null when not signed in. Each tab carries when its latest connection started
 * and, once one ended, how (docs/protocol.md 6.5). In token mode a refused token is forgotten.
 * @returns {Promise<{user: string, session: string, expiresAt: string,
 *   tabs: {tab: string, channel: string, connected: boolean, frontEnd: string | null, connectedAt: string,
 *     lastClose?: {code: number, reason: string, at: string}}[]} | null>}
 * @param {RequestOptions} [options]
 */
export async function me(options = {}) {
  const token = tokenIfTokenMode();
  if (authMode === 'token' && !token) return null;
  try {
    return await (await request(serverOf(options.baseUrl), 'GET', '/auth/me', undefined, token ? sessionHeader(token) : {})).json();
  } catch (e) {
    if (e instanceof OrleansTabsError && e.code === 'http_401') {
      if (token && currentToken() === token) keepToken(null);
      return null;
    }
    throw e;
  }
}

// ---------------------------------------------------- duplicate-tab handshake

/** Connections of this page that own a tab id; they answer probes from other pages. */
/** @type {Set<TabConnection>} */
const owners = new Set();
/** @type {BroadcastChannel | null | undefined} */
let bus;

function getBus() {
  if (bus !== undefined) return bus;
  bus = typeof BroadcastChannel === 'function' ? new BroadcastChannel(BUS_NAME) : null;
  // Node keeps a process alive for an open BroadcastChannel; there the sockets alone should decide its lifetime.
  /** @type {any} */ (bus)?.unref?.();
  bus?.addEventListener('message', (e) => {
    const m = e.data;
    if (m?.type !== 'probe' || m.instanceId === instance()) return;
    for (const c of owners) {
      if (c.tabId === m.tabId) {
        bus?.postMessage({ type: 'taken', tabId: m.tabId, instanceId: m.instanceId });
        return;
      }
    }
  });
  return bus;
}

/**
 * Asks the other pages whether one of them already owns `tabId` (a duplicated tab copies sessionStorage).
 * @param {string} tabId
 * @param {number} ms
 * @returns {Promise<boolean>} true when another page answered `taken`
 */
function probe(tabId, ms) {
  const b = getBus();
  if (!b) return Promise.resolve(false);
  return new Promise((resolve) => {
    /** @param {MessageEvent} e */
    const onMessage = (e) => {
      const m = e.data;
      if (m?.type === 'taken' && m.tabId === tabId && m.instanceId === instance()) done(true);
    };
    /** @param {boolean} taken */
    const done = (taken) => {
      clearTimeout(timer);
      b.removeEventListener('message', onMessage);
      resolve(taken);
    };
    const timer = setTimeout(() => done(false), ms);
    b.addEventListener('message', onMessage);
    b.postMessage({ type: 'probe', tabId, instanceId: instance() });
  });
}

/**
 * The stream positions a previous page load of this tab saved (a reload resumes from them), or none when they
 * belong to another tab id.
 * @param {string} key @param {string} tabId
 * @returns {[string, StreamPosition][]}
 */
function loadPositions(key, tabId) {
  try {
    const saved = JSON.parse(stored(key) ?? 'null');
    if (saved?.tab !== tabId || typeof saved.streams !== 'object' || !saved.streams) return [];
    return Object.entries(saved.streams).filter(([s, p]) =>
      !s.startsWith('topic:') && typeof p?.epoch === 'string' && Number.isInteger(p?.offset));
  } catch { return []; }
}

/**
 * What this page load (or Node process) wrote, where sessionStorage is missing (Node), disabled or full: both
 * channels of a tab then still share one tab id.
 * @type {Map<string, string>}
 */
const memoryStore = new Map();

/** This page load's value first (its write may have failed in sessionStorage), else a previous page load's. @param {string} key */
function stored(key) {
  const mine = memoryStore.get(key);
  if (mine !== undefined) return mine;
  try { return typeof sessionStorage === 'undefined' ? null : sessionStorage.getItem(key); } catch { return null; }
}

/** @param {string} key @param {string} value */
function store(key, value) {
  memoryStore.set(key, value);
  try { if (typeof sessionStorage !== 'undefined') sessionStorage.setItem(key, value); } catch { /* memory only */ }
}

/** @param {string} key */
function unstore(key) {
  memoryStore.delete(key);
  try { if (typeof sessionStorage !== 'undefined') sessionStorage.removeItem(key); } catch { /* storage disabled */ }
}

/** @param {string} key */
function loadTabId(key) {
  const v = stored(key);
  if (v && ID_RE.test(v)) return v;
  return storeTabId(key, newId());
}

/** @param {string} key @param {string} id */
function storeTabId(key, id) {
  store(key, id);
  return id;
}

const isHidden = () => typeof document !== 'undefined' && document.hidden;

// ------------------------------------------------------------ presence

/** @typedef {{tab: string, visibility: 'visible'|'hidden', focused: boolean, since: string, name?: string}} PresentTab */

/**
 * Feeds a `presence` frame to its room's {@link RoomPresence}; set by the class, so that it is not part of its API.
 * @type {(presence: RoomPresence, frame: Frame) => void}
 */
let applyPresence;

/**
 * Who is in a joined room, kept current (docs/protocol.md 6.2): `state` maps each present user to their
 * present tabs. Dispatches `change` (detail: `{state, online, offline}`) on the first answer and on every
 * diff; asks again by itself after each reconnect. Get one with {@link TabConnection#presence}.
 */
export class RoomPresence extends EventTarget {
  /** @type {Map<string, PresentTab[]>} */ #state = new Map();
  #closed = false;
  /** @type {() => void} */ #detach;

  /** Made by {@link TabConnection#presence}. @param {string} room @param {() => void} detach */
  constructor(room, detach) {
    super();
    /** @readonly */
    this.room = room;
    this.#detach = detach;
  }

  /** Each present user's present tabs. @returns {Map<string, PresentTab[]>} */
  get state() { return new Map([...this.#state].map(([u, tabs]) => [u, [...tabs]])); }

  /** Stops following the room (diffs that still arrive are ignored). */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#detach();
  }

  static {
    applyPresence = (presence, frame) => presence.#apply(frame);
  }

  /** @param {Frame} f a `presence` frame of this room */
  #apply(f) {
    if (this.#closed) return;
    if (f.state) {
      // A page that continues another (`after`) adds its tabs; a first page is the whole state so far.
      if (typeof f.after !== 'string') this.#state = new Map();
      for (const [u, tabs] of Object.entries(f.state)) {
        const page = /** @type {PresentTab[]} */ (tabs);
        const ids = new Set(page.map((t) => t.tab));
        this.#state.set(u, [...(this.#state.get(u) ?? []).filter((t) => !ids.has(t.tab)), ...page]);
      }
    } else {
      for (const [u, tabs] of Object.entries(f.leaves ?? {})) {
        const gone = new Set(/** @type {PresentTab[]} */ (tabs).map((t) => t.tab));
        const left = (this.#state.get(u) ?? []).filter((t) => !gone.has(t.tab));
        if (left.length) this.#state.set(u, left); else this.#state.delete(u);
      }
      for (const [u, tabs] of Object.entries(f.joins ?? {})) {
        const came = /** @type {PresentTab[]} */ (tabs);
        const ids = new Set(came.map((t) => t.tab));
        this.#state.set(u, [...(this.#state.get(u) ?? []).filter((t) => !ids.has(t.tab)), ...came]);
      }
    }
    this.dispatchEvent(new CustomEvent('change', { detail: { state: this.state, online: f.online ?? [], offline: f.offline ?? [] } }));
  }
}

// ------------------------------------------------------------ connection

/**
 * One tab's connection to a channel. Events are `CustomEvent`s whose `detail`
 * is the frame (or `{state, previous}` for `state`, {@link CloseInfo} for `close`).
 */
export class TabConnection extends EventTarget {
  /** @type {Required<Omit<ConnectOptions, 'baseUrl'>>} */ #opts;
  /** @type {string | null} */ #server;
  /** @type {string} */ #tabId;
  /** @type {ConnectionState} */ #state = 'connecting';
  /** @type {CloseInfo | null} */ #lastClose = null;
  /** @type {WebSocketConstructor} */ #socketClass;
  /** @type {WebSocketLike | null} */ #ws = null;
  #opened = false;        // the upgrade succeeded
  #welcomed = false;      // `welcome` seen on the current socket
  #welcomedAt = 0;
  #awaitingResume = false;
  #failures = 0;          // closes since the last stable connection
  #quick = 0;             // "at once" reconnects since the last welcome
  #stopped = false;
  #parked = false;        // a reconnect waits for the page to become visible
  #backOnline = false;    // the network came back during an attempt: the next retry is at once
  #rejoin = false;        // fresh tab id: join the local rooms again
  #heartbeatMs = DEFAULT_HEARTBEAT_MS;
  /** @type {string} */ #positionsKey;
  #lastFrameAt = 0;
  #pingAt = 0;
  #reportedState = '';    // the last `state` sent on the current socket
  /** @type {Record<string, any>} */ #timers = {};
  /** @type {Map<string, StreamPosition>} */ #streams = new Map();
  /** @type {Set<string>} */ #ackDirty = new Set();
  /** @type {Map<string, {frame: Frame, resolve: (f: Frame) => void, reject: (e: Error) => void}>} */
  #pending = new Map();
  /**
   * Calls awaiting their answer, each with the socket it went out on (null: not written yet). Calls are never written
   * twice: they may not be idempotent.
   * @type {Map<string, {frame: Frame, resolve: (data: any) => void, reject: (e: Error) => void, on: WebSocketLike | null}>}
   */
  #calls = new Map();
  /**
   * `join`, `leave` and `history` awaiting their replies, in the order they were written on the current socket: the
   * server answers them in that order and echoes no id on the reply, so a reply settles the oldest request of its kind
   * for its room (an `error` names the request by `ref`). They are idempotent, so a socket lost before the reply
   * writes them again on the next one.
   * @type {Map<string, {frame: Frame, resolve: (f: Frame) => void, reject: (e: Error) => void}>}
   */
  #requests = new Map();
  /** @type {Set<string>} */ #rooms = new Set();
  /** @type {Map<string, RoomPresence>} */ #presences = new Map();

  /**
   * @param {Channel} channel
   * @param {ConnectOptions} [options]
   */
  constructor(channel, options = {}) {
    super();
    if (channel !== 'chat' && channel !== 'dashboard') throw new TypeError(`unknown channel: ${channel}`);
    const socketClassNow = socketClass ?? (typeof WebSocket === 'function' ? WebSocket : null);
    if (!socketClassNow) {
      throw new OrleansTabsError('no_websocket',
        'this environment has no WebSocket: connect needs a browser, a global WebSocket or configure({ WebSocket })');
    }
    if (authMode === 'token' && !currentToken()) throw new OrleansTabsError('no_token', 'token mode: sign in (or configure a token) first');
    this.#socketClass = socketClassNow;
    /** @readonly */
    this.channel = channel;
    const { baseUrl, ...rest } = options;
    this.#server = serverOf(baseUrl);
    socketUrl(this.#server, '/'); // no server to talk to is a caller's error, raised here rather than on a retry
    this.#opts = {
      storageKey: TAB_KEY, probeMs: 150, baseDelayMs: 500, maxDelayMs: 30000, connectTimeoutMs: 10000,
      ...rest,
    };
    this.#tabId = loadTabId(this.#opts.storageKey);
    this.#positionsKey = `${this.#opts.storageKey}.streams.${channel}`;
    for (const [s, p] of loadPositions(this.#positionsKey, this.#tabId)) this.#streams.set(s, p);
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.#onVisibility);
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.#onOnline);
      window.addEventListener('pagehide', this.#savePositions);
      window.addEventListener('focus', this.#reportState);
      window.addEventListener('blur', this.#reportState);
    }
    this.#start();
  }

  /** This tab's id (sessionStorage); changes when the tab turns out to be a duplicate. */
  get tabId() { return this.#tabId; }
  /** This page load's id (memory only). */
  get instanceId() { return instance(); }
  /** @returns {ConnectionState} */
  get state() { return this.#state; }
  /** The last close seen, or null. @returns {CloseInfo | null} */
  get lastClose() { return this.#lastClose; }
  /** Rooms this tab is known to have joined (for display; the server owns membership). */
  get rooms() { return [...this.#rooms]; }

  /**
   * Joins `room`. Resolves with the `joined` reply; rejects with the `error` frame's code (e.g. `forbidden` from the
   * application's authorizer, `invalid_field` over the rooms limit) or when the connection ends. A caller that ignores
   * the promise sees refusals as `error` events only.
   * @param {string} room
   * @returns {Promise<Frame>}
   */
  join(room) {
    this.#chatOnly('join');
    if (!ROOM_RE.test(room)) throw new OrleansTabsError('invalid_field', `invalid room name: ${room}`);
    return this.#request({ type: 'join', room });
  }

  /**
   * Follows who is in a joined room (docs/protocol.md 6.2); the same object for the same room until closed.
   * @param {string} room
   * @returns {RoomPresence}
   */
  presence(room) {
    this.#chatOnly('presence');
    if (!ROOM_RE.test(room)) throw new OrleansTabsError('invalid_field', `invalid room name: ${room}`);
    let p = this.#presences.get(room);
    if (!p) {
      const created = new RoomPresence(room, () => { if (this.#presences.get(room) === created) this.#presences.delete(room); });
      this.#presences.set(room, p = created);
      if (this.#welcomed) this.#write({ type: 'who', room }); // else asked right after the next welcome
    }
    return p;
  }

  /**
   * Leaves `room`. Resolves with the `left` reply; rejects with the `error` frame's code (`forbidden` for a room the
   * server joined, docs/protocol.md 7.3) or when the connection ends.
   * @param {string} room
   * @returns {Promise<Frame>}
   */
  leave(room) {
    this.#chatOnly('leave');
    if (!ROOM_RE.test(room)) throw new OrleansTabsError('invalid_field', `invalid room name: ${room}`);
    return this.#request({ type: 'leave', room });
  }

  /**
   * Calls the application's handler `method` (docs/protocol.md 7.1). Resolves with the result's `data`; rejects with
   * the `error` frame's code (`unknown_method`, `forbidden`, `internal`, `not_allowed`, `invalid_field` or the
   * application's own), with `disconnected` when the socket it went out on is lost before the answer (a call is never
   * sent twice), or when the connection ends before it went out. `.id` is the call's id (the answer's `ref`).
   * @template [T=any]
   * @param {string} method 1-64 characters of `[A-Za-z0-9_.-]`
   * @param {unknown} [args] any JSON value
   * @returns {Promise<T> & {id: string}}
   */
  call(method, args) {
    this.#chatOnly('call');
    if (typeof method !== 'string' || !METHOD_RE.test(method)) {
      throw new OrleansTabsError('invalid_field', `invalid method name: ${String(method)} (1-64 characters of [A-Za-z0-9_.-])`);
    }
    const id = newId();
    /** @type {Frame} */
    const frame = { type: 'call', id, method };
    if (args !== undefined) frame.args = args;
    JSON.stringify(frame); // arguments that are not JSON (a BigInt, a cycle) are the caller's error, raised here
    /** @type {any} */
    const p = new Promise((resolve, reject) => {
      if (this.#stopped) return reject(new OrleansTabsError('closed', 'the connection is closed'));
      const entry = { frame, resolve, reject, on: /** @type {WebSocketLike | null} */ (null) };
      this.#calls.set(id, entry);
      if (this.#welcomed) this.#writeCall(entry);
      else if (this.#parked) this.#open(); // a pending call overrides the hidden-page pause
    });
    p.id = id;
    return p;
  }

  /**
   * Posts `text` to `room`. Resolves with the `ack` frame once durable; survives reconnects
   * (re-sent with the same id, which the server de-duplicates). `.id` is the client message id.
   * @param {string} room
   * @param {string} text
   * @returns {Promise<Frame> & {id: string}}
   */
  send(room, text) {
    this.#chatOnly('send');
    const id = newId();
    /** @type {any} */
    const p = new Promise((resolve, reject) => {
      if (this.#stopped) return reject(new OrleansTabsError('closed', 'the connection is closed'));
      const frame = { type: 'send', id, room, text };
      this.#pending.set(id, { frame, resolve, reject });
      if (this.#welcomed && !this.#awaitingResume) this.#write(frame);
      else if (this.#parked) this.#open(); // a pending send overrides the hidden-page pause
    });
    p.id = id;
    return p;
  }

  /**
   * Asks for a page of `room`. Resolves with the `history` reply, which also arrives as a `history` event; rejects
   * with the `error` frame's code (e.g. `not_member`) or when the connection ends.
   * @param {string} room
   * @param {{before?: number, limit?: number}} [page]
   * @returns {Promise<Frame>}
   */
  history(room, page = {}) {
    this.#chatOnly('history');
    if (!ROOM_RE.test(room)) throw new OrleansTabsError('invalid_field', `invalid room name: ${room}`);
    /** @type {Frame} */
    const frame = { type: 'history', room };
    if (page.before != null) frame.before = page.before;
    if (page.limit != null) frame.limit = page.limit;
    return this.#request(frame);
  }

  /** Closes for good (1000); pending sends, calls, joins, leaves and history pages are rejected (`closed`). */
  close() {
    this.#terminate('closed');
  }

  // ---------------------------------------------------------- lifecycle

  async #start() {
    const taken = await probe(this.#tabId, this.#opts.probeMs);
    if (this.#stopped) return;
    this.#emit('state', { state: this.#state, previous: null });
    if (taken) {
      this.#setState('duplicate');
      this.#tabId = storeTabId(this.#opts.storageKey, newId());
      this.#streams.clear(); // copied from the original tab: its positions, not ours
      this.#setState('connecting');
    }
    if (this.#stopped) return;
    owners.add(this);
    this.#open();
  }

  #open() {
    if (this.#stopped) return;
    this.#clear('retry');
    this.#parked = false;
    const query = new URLSearchParams({ tab: this.#tabId, instance: instance(), v: String(PROTOCOL_VERSION) });
    if (authMode === 'token') {
      // Read at each connect: a sign-in since the last one may have replaced the token, a sign-out removed it.
      const token = currentToken();
      if (!token) return this.#terminate('signed-out');
      query.set('access_token', token);
    }
    /** @type {WebSocketLike} */
    let ws;
    try {
      ws = new this.#socketClass(socketUrl(this.#server, `/ws/${this.channel}?${query}`));
    } catch (e) { // e.g. blocked by a content security policy: nothing to retry
      console.error('orleanstabs: cannot open a WebSocket', e);
      return this.#terminate('closed');
    }
    this.#ws = ws;
    this.#opened = this.#welcomed = this.#awaitingResume = false;
    ws.onopen = () => { this.#opened = true; };
    ws.onmessage = (/** @type {{data: any}} */ e) => { if (ws === this.#ws) this.#onFrame(e.data); };
    ws.onclose = (/** @type {{code: number, reason: string}} */ e) => this.#onClose(ws, e.code, e.reason);
    this.#timers.connect = setTimeout(
      () => this.#drop(ws, 1006, '{"code":"connect_timeout"}'), this.#opts.connectTimeoutMs);
  }

  /**
   * Abandons a socket the client considers dead and handles it as closed with `code`.
   * @param {WebSocketLike} ws @param {number} code @param {string} reason
   */
  #drop(ws, code, reason) {
    if (ws !== this.#ws) return;
    ws.onclose = ws.onmessage = ws.onopen = null;
    try { ws.close(); } catch { /* already closing */ }
    this.#onClose(ws, code, reason);
  }

  /** @param {WebSocketLike} ws @param {number} code @param {string} reason */
  #onClose(ws, code, reason) {
    if (ws !== this.#ws) return; // a socket we already abandoned
    this.#ws = null;
    const lost = new OrleansTabsError('disconnected', 'the connection was lost before the answer; the call was not sent again');
    for (const [id, c] of this.#calls) {
      if (c.on !== ws) continue;
      this.#calls.delete(id);
      c.reject(lost);
    }
    this.#clear('connect', 'heartbeat', 'resume');
    if (this.#welcomed && Date.now() - this.#welcomedAt > 10000) this.#failures = 0;
    const opened = this.#opened;
    this.#welcomed = this.#awaitingResume = false;
    let parsed = null;
    try { parsed = reason ? JSON.parse(reason) : null; } catch { /* plain text reason */ }
    this.#lastClose = { code, reason, parsed };
    this.#emit('close', this.#lastClose);
    if (this.#stopped) return;

    if (code === 4501) return this.#terminate('signed-out');
    if (code === 4010) {
      // A duplicated tab: take a fresh identity; the old one's streams and rooms are not ours.
      this.#setState('duplicate');
      this.#tabId = storeTabId(this.#opts.storageKey, newId());
      this.#streams.clear();
      this.#ackDirty.clear();
      this.#rejoin = this.#rooms.size > 0;
      return this.#retry(this.#soon());
    }
    if (code >= 4500 && code <= 4999) return this.#terminate('closed');
    if (code === 1008 || code === 1009) {
      const message = `closed by the server: ${code} ${reason}`;
      console.error(`orleanstabs: ${message}`);
      this.#emit('error', { type: 'error', code: code === 1009 ? 'too_large' : 'protocol_violation', message, ref: null });
      return this.#terminate('closed');
    }
    if ([1000, 1002, 1003, 1007, 1010, 1015].includes(code)) return this.#terminate('closed');
    if (code === 4029) {
      const after = Number(parsed?.retryAfterMs);
      return this.#retry(after >= 0 ? after * (1 + Math.random() * 0.1) : this.#backoff());
    }
    if (code === 1001) return this.#retry(this.#soon());
    if (!opened) {
      // The browser hides the upgrade's HTTP status; a 401 means the session is gone.
      this.#setState('reconnecting');
      me({ baseUrl: this.#server ?? undefined }).then((m) => m || this.#stopped ? this.#retry(this.#backoff()) : this.#terminate('signed-out'),
        () => this.#retry(this.#backoff()));
      return;
    }
    this.#retry(this.#backoff()); // 1011, 4008, 4013, 1006 and other transient endings
  }

  /** Full-jitter exponential backoff: uniform in [0, min(max, base * 2^failures)). */
  #backoff() {
    const cap = Math.min(this.#opts.maxDelayMs, this.#opts.baseDelayMs * 2 ** Math.min(this.#failures, 20));
    return Math.random() * cap;
  }

  /** "At once", unless that already happened twice without a welcome (avoids a tight loop). */
  #soon() { return this.#quick++ < 2 ? 0 : this.#backoff(); }

  /** @param {number} delay */
  #retry(delay) {
    if (this.#stopped) return;
    if (this.#backOnline) {
      this.#backOnline = false;
      delay = 0;
    }
    this.#failures++;
    this.#setState('reconnecting');
    this.#clear('retry');
    this.#timers.retry = setTimeout(() => {
      if (isHidden() && this.#pending.size === 0 && this.#calls.size === 0) this.#parked = true;
      else this.#open();
    }, delay);
  }

  #onVisibility = () => {
    if (isHidden()) this.#savePositions();
    else if (this.#parked) this.#open();
    this.#reportState();
  };

  /** Tells the server the page's visibility and focus (docs/protocol.md 6.1) when they change, and after each welcome. */
  #reportState = () => {
    if (!this.#welcomed || !this.#ws) return;
    const visibility = isHidden() ? 'hidden' : 'visible';
    const focused = typeof document !== 'undefined' && typeof document.hasFocus === 'function' && document.hasFocus();
    const key = `${visibility}/${focused}`;
    if (key === this.#reportedState) return;
    this.#reportedState = key;
    this.#write({ type: 'state', visibility, focused });
  };

  /**
   * The network is back: a reconnect waiting out its backoff tries at once. One already under way (its socket still
   * connecting, or the session check after an upgrade that failed offline) is not interrupted, but when it fails the
   * next try is at once rather than after the backoff grown while offline.
   */
  #onOnline = () => {
    if (this.#stopped) return;
    this.#failures = 0;
    if (this.#ws || this.#timers.retry === undefined) {
      this.#backOnline = !this.#welcomed;
      return;
    }
    this.#retry(0);
  };

  /** Keeps this tab's stream positions for the next page load of the same tab (a reload resumes from them). */
  #savePositions = () => {
    if (this.#stopped) return;
    const streams = Object.fromEntries([...this.#streams].filter(([s]) => !s.startsWith('topic:')));
    // Where storage is disabled or full, a reload starts from the heads.
    store(this.#positionsKey, JSON.stringify({ tab: this.#tabId, streams }));
  };

  /** @param {'closed'|'signed-out'} state */
  #terminate(state) {
    if (this.#stopped) return;
    this.#stopped = true;
    owners.delete(this);
    this.#clear('retry', 'connect', 'heartbeat', 'resume', 'ack');
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.#onVisibility);
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.#onOnline);
      window.removeEventListener('pagehide', this.#savePositions);
      window.removeEventListener('focus', this.#reportState);
      window.removeEventListener('blur', this.#reportState);
    }
    unstore(this.#positionsKey);
    const ws = this.#ws;
    this.#ws = null;
    if (ws) {
      ws.onclose = ws.onmessage = ws.onopen = null;
      try { ws.close(1000); } catch { /* already closing */ }
    }
    const error = new OrleansTabsError(state === 'signed-out' ? 'signed_out' : 'closed', `connection ${state}`);
    for (const p of [...this.#pending.values(), ...this.#calls.values(), ...this.#requests.values()]) p.reject(error);
    this.#pending.clear();
    this.#calls.clear();
    this.#requests.clear();
    this.#setState(state);
  }

  // ------------------------------------------------------------- frames

  /** @param {any} data */
  #onFrame(data) {
    this.#lastFrameAt = Date.now();
    /** @type {Frame} */
    let f;
    try { f = JSON.parse(data); } catch { return; }
    switch (f.type) {
      case 'welcome': this.#onWelcome(f); break;
      case 'message': if (!this.#accept(f)) return; break;
      case 'ack': this.#settle(f.id, f); break;
      case 'joined': this.#rooms.add(f.room); this.#adopt(f.stream, f); this.#answer(f); break;
      case 'left': this.#forgetRoom(f.room); this.#answer(f); break;
      case 'resumed': this.#afterResume(); break;
      case 'reset': this.#onReset(f); break;
      case 'history': for (const m of f.messages ?? []) this.#advance(m); this.#answer(f); break;
      case 'result': this.#settleCall(f.ref, f); break;
      case 'error': if (typeof f.ref === 'string') this.#settle(f.ref, null, f); break;
      case 'snapshot': break;
      case 'presence': {
        const p = this.#presences.get(f.room);
        if (p) applyPresence(p, f);
        if (p && typeof f.next === 'string') this.#write({ type: 'who', room: f.room, after: f.next });
        break;
      }
      default: return; // pong and unknown types
    }
    this.#emit(f.type, f);
  }

  /** @param {Frame} f */
  #onWelcome(f) {
    this.#clear('connect');
    this.#welcomed = true;
    this.#backOnline = false;
    this.#welcomedAt = Date.now();
    this.#quick = 0;
    this.#heartbeatMs = f.heartbeatMs > 0 ? f.heartbeatMs : DEFAULT_HEARTBEAT_MS;

    /** @type {Record<string, StreamPosition>} */
    const heads = f.streams ?? {};
    if (!this.#rejoin) {
      // `streams` lists every room the tab is a member of now, including the ones the server joined (7.3); a room
      // missing from it was left while no socket listened (by the server, or with the tab's expiry), and resuming it
      // would only earn a `reset`.
      for (const room of this.#rooms) if (!Object.hasOwn(heads, `room:${room}`)) this.#forgetRoom(room);
      for (const s of this.#streams.keys()) if (s.startsWith('room:') && !Object.hasOwn(heads, s)) this.#streams.delete(s);
    }
    /** @type {Record<string, StreamPosition>} */
    const resume = {};
    for (const [s, p] of this.#streams) if (!s.startsWith('topic:')) resume[s] = { epoch: p.epoch, offset: p.offset };
    if (Object.keys(resume).length > 0) {
      this.#write({ type: 'resume', streams: resume }); // must be the first frame
      this.#awaitingResume = true;
      this.#timers.resume = setTimeout(() => this.#afterResume(), 10000); // never wait forever
    } else {
      // Nothing to resume: a first frame tells the server not to hold live frames for a resume.
      this.#write({ type: 'ping' });
    }
    for (const [s, head] of Object.entries(heads)) {
      if (s.startsWith('room:')) this.#rooms.add(s.slice(5));
      this.#adopt(s, head);
    }
    this.#reportedState = '';
    this.#reportState();
    if (this.#rejoin) {
      // Before the requests that waited: a `leave` asked meanwhile must come after the join it undoes.
      const waiting = [...this.#requests];
      this.#requests.clear();
      for (const room of this.#rooms) this.#track({ type: 'join', room, id: newId() });
      for (const [id, r] of waiting) this.#requests.set(id, r);
    }
    this.#rejoin = false;
    for (const r of this.#requests.values()) this.#write(r.frame);
    // Presence is not resumable: ask again on every new socket, once the joins that it needs went out.
    for (const room of this.#presences.keys()) this.#write({ type: 'who', room });
    for (const c of this.#calls.values()) if (!c.on) this.#writeCall(c);
    if (!this.#awaitingResume) this.#flushSends();
    this.#flushAcks();
    this.#pingAt = 0;
    this.#timers.heartbeat = setInterval(() => this.#beat(), this.#heartbeatMs);
    this.#setState('open');
  }

  /** Pings every heartbeat; a ping unanswered for a whole interval means a dead socket. */
  #beat() {
    const ws = this.#ws;
    if (!ws) return;
    if (this.#pingAt && this.#lastFrameAt < this.#pingAt) {
      if (Date.now() - this.#pingAt >= this.#heartbeatMs) this.#drop(ws, 4008, '{"code":"heartbeat_timeout"}');
      return;
    }
    this.#pingAt = Date.now();
    this.#write({ type: 'ping' });
  }

  #afterResume() {
    this.#clear('resume');
    if (!this.#awaitingResume) return;
    this.#awaitingResume = false;
    this.#flushSends();
  }

  #flushSends() {
    for (const p of this.#pending.values()) this.#write(p.frame);
  }

  /**
   * Tracks the position of a resumable frame; false for a duplicate (offset at or below the last seen).
   * @param {Frame} m
   */
  #accept(m) {
    if (typeof m.stream !== 'string' || !Number.isInteger(m.offset)) return true;
    const p = this.#streams.get(m.stream);
    if (p && p.epoch === m.epoch && m.offset <= p.offset) return false;
    this.#streams.set(m.stream, { epoch: m.epoch, offset: m.offset });
    this.#ackDirty.add(m.stream);
    this.#timers.ack ??= setTimeout(() => this.#flushAcks(), 200);
    return true;
  }

  /**
   * Takes a head as our position for a stream we know nothing about (or whose epoch changed).
   * @param {string} stream @param {any} head
   */
  #adopt(stream, head) {
    if (typeof stream !== 'string' || stream.startsWith('topic:')) return;
    if (!head || typeof head.epoch !== 'string' || !Number.isInteger(head.offset)) return;
    const p = this.#streams.get(stream);
    if (!p || p.epoch !== head.epoch) this.#streams.set(stream, { epoch: head.epoch, offset: head.offset });
  }

  /** A history page moves the position forward only. @param {Frame} m */
  #advance(m) {
    if (typeof m.stream !== 'string' || !Number.isInteger(m.offset)) return;
    const p = this.#streams.get(m.stream);
    if (!p || p.epoch !== m.epoch || m.offset > p.offset) this.#streams.set(m.stream, { epoch: m.epoch, offset: m.offset });
  }

  /** @param {Frame} f */
  #onReset(f) {
    this.#streams.delete(f.stream);
    this.#ackDirty.delete(f.stream);
    if (typeof f.stream === 'string' && f.stream.startsWith('room:')) {
      f.room = f.stream.slice(5);
      this.#request({ type: 'history', room: f.room });
    }
  }

  #flushAcks() {
    this.#clear('ack');
    if (!this.#welcomed) return; // kept dirty until the next welcome
    for (const s of this.#ackDirty) {
      const p = this.#streams.get(s);
      if (p) this.#write({ type: 'ack', stream: s, offset: p.offset });
    }
    this.#ackDirty.clear();
  }

  /**
   * Settles the send, call or request whose id is `id` (an error's `ref`); unknown ids are answers already given.
   * @param {string} id @param {Frame | null} ack @param {Frame} [error]
   */
  #settle(id, ack, error) {
    const owner = [this.#pending, ...(ack ? [] : [this.#requests, this.#calls])].find((m) => m.has(id));
    const p = owner?.get(id);
    if (!owner || !p) return;
    owner.delete(id);
    if (ack) p.resolve(ack);
    else p.reject(new OrleansTabsError(error?.code ?? 'internal', error?.message ?? 'refused', error));
  }

  /** A call's `result`: resolves it with `data`, once. @param {unknown} ref @param {Frame} result */
  #settleCall(ref, result) {
    const c = typeof ref === 'string' ? this.#calls.get(ref) : undefined;
    if (!c) return;
    this.#calls.delete(/** @type {string} */ (ref));
    c.resolve(result.data);
  }

  /**
   * Settles the request a `joined`, `left` or `history` reply answers: the one its `ref` names, should the server echo
   * the request's id, else the oldest of its kind for its room. Membership the server decided (`by: "server"`)
   * answers no request.
   * @param {Frame} reply
   */
  #answer(reply) {
    if (reply.by === 'server') return;
    let found = typeof reply.ref === 'string' ? this.#requests.get(reply.ref) : undefined;
    if (!found) {
      const kind = REQUEST_OF[reply.type];
      for (const r of this.#requests.values()) {
        if (r.frame.type === kind && r.frame.room === reply.room) { found = r; break; }
      }
    }
    if (!found) return;
    this.#requests.delete(found.frame.id);
    found.resolve(reply);
  }

  /** Not a member of `room` any more: a later `resume` must not name its stream. @param {string} room */
  #forgetRoom(room) {
    this.#rooms.delete(room);
    this.#presences.get(room)?.close();
    this.#streams.delete(`room:${room}`);
    this.#ackDirty.delete(`room:${room}`);
  }

  // ------------------------------------------------------------ helpers

  /**
   * Sends a `join`, `leave` or `history` with a fresh `id` (an `error` refers to it as `ref`) now when welcomed, else
   * after the next welcome; the promise settles with its reply.
   * @param {Frame} frame
   * @returns {Promise<Frame>}
   */
  #request(frame) {
    if (this.#stopped) throw new OrleansTabsError('closed', 'the connection is closed');
    frame.id = newId();
    const p = this.#track(frame);
    if (this.#welcomed) this.#write(frame);
    return p;
  }

  /** @param {Frame} frame a request with its `id` @returns {Promise<Frame>} */
  #track(frame) {
    const p = new Promise((resolve, reject) => { this.#requests.set(frame.id, { frame, resolve, reject }); });
    // Callers written before these methods returned promises ignore them: their refusals are `error` events, not
    // unhandled rejections.
    p.catch(() => {});
    return p;
  }

  /** Writes a call once, remembering the socket that took it. @param {{frame: Frame, on: WebSocketLike | null}} call */
  #writeCall(call) {
    if (this.#write(call.frame)) call.on = this.#ws;
  }

  /** @param {Frame} frame @returns {boolean} whether a socket took it */
  #write(frame) {
    if (this.#ws?.readyState !== 1) return false;
    this.#ws.send(JSON.stringify(frame));
    return true;
  }

  /** @param {string} op */
  #chatOnly(op) {
    if (this.channel !== 'chat') throw new OrleansTabsError('not_allowed', `${op} is only allowed on the chat channel`);
  }

  /** @param {...string} names */
  #clear(...names) {
    for (const n of names) {
      clearTimeout(this.#timers[n]);
      clearInterval(this.#timers[n]);
      delete this.#timers[n];
    }
  }

  /** @param {ConnectionState} state */
  #setState(state) {
    if (state === this.#state) return;
    const previous = this.#state;
    this.#state = state;
    this.#emit('state', { state, previous });
  }

  /** @param {string} type @param {any} detail */
  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/**
 * Opens a tab connection to `channel` (`chat` or `dashboard`). Listen before the
 * current task ends: the first events are dispatched asynchronously.
 * @param {Channel} channel
 * @param {ConnectOptions} [options]
 * @returns {TabConnection}
 */
export function connect(channel, options) {
  return new TabConnection(channel, options);
}
