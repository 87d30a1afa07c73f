// Runs in a project that installed the packed tarball: the package imports in node (no browser global is touched at
// load), has every export, and derives its HTTP and WebSocket URLs from the base URL option.
import assert from 'node:assert/strict';
import * as client from '@orleanstabs/client';

const exports = ['PROTOCOL_VERSION', 'OrleansTabsError', 'RoomPresence', 'TabConnection', 'configure', 'connect', 'me', 'signIn', 'signInWithIdentity', 'signOut'];
assert.deepEqual(Object.keys(client).sort(), [...exports].sort());
assert.equal(client.PROTOCOL_VERSION, 1);
const { configure, connect, me, signIn, signOut, OrleansTabsError, TabConnection } = client;

/** @param {string} code */
const refusal = (code) => (/** @type {any} */ e) => e instanceof OrleansTabsError && e.code === code;

// Without a WebSocket (node 20 has none) connect says so instead of failing on a retry.
if (typeof globalThis.WebSocket !== 'function') assert.throws(() => connect('chat'), refusal('no_websocket'));

// Node 18 (Debian's) has no global Web Crypto; browsers and node 20 do.
globalThis.crypto ??= /** @type {any} */ ((await import('node:crypto')).webcrypto);

/** A stand-in WebSocket that never connects: `nextSocket()` resolves with the next one the client opens. */
const waiting = [];
const nextSocket = () => new Promise((resolve) => waiting.push(resolve));
globalThis.WebSocket = class {
  constructor(url) { this.url = url; this.readyState = 0; waiting.shift()?.(this); }
  send() {}
  close() { this.readyState = 3; }
};

// No page origin and no base URL: there is no server to connect to.
assert.throws(() => connect('chat'), refusal('no_server'));
assert.throws(() => configure({ baseUrl: 'api.example.com' }), TypeError);
assert.throws(() => configure({ baseUrl: 'ftp://api.example.com' }), TypeError);

const requests = [];
globalThis.fetch = async (url, init) => {
  requests.push({ url, init });
  if (url.endsWith('/auth/me')) return new Response('{"title":"Unauthorized"}', { status: 401, headers: { 'Content-Type': 'application/json' } });
  if (url.endsWith('/auth/login')) return Response.json({ user: 'alice', session: 's', expiresAt: '2030-01-01T00:00:00Z' });
  return new Response(null, { status: 204 });
};

configure({ baseUrl: 'https://api.example.com/' });
assert.equal((await signIn('alice')).user, 'alice');
assert.equal(requests[0].url, 'https://api.example.com/auth/login');
assert.equal(requests[0].init.credentials, 'include');
assert.equal(requests[0].init.body, '{"user":"alice"}');
assert.equal(await me({ baseUrl: 'http://localhost:5000' }), null);
assert.equal(requests[1].url, 'http://localhost:5000/auth/me');
await signOut({ everywhere: true });
assert.equal(requests[2].url, 'https://api.example.com/auth/logout?scope=user');

let opened = nextSocket();
const tab = connect('chat', { probeMs: 1 });
assert.ok(tab instanceof TabConnection);
const socket = await opened;
const url = new URL(socket.url);
assert.equal(`${url.protocol}//${url.host}${url.pathname}`, 'wss://api.example.com/ws/chat');
assert.equal(url.searchParams.get('v'), '1');
assert.equal(url.searchParams.get('tab'), tab.tabId);
assert.equal(url.searchParams.get('instance'), tab.instanceId);
tab.close();
assert.equal(tab.state, 'closed');

opened = nextSocket();
const local = connect('dashboard', { baseUrl: 'http://localhost:5000/prefix', probeMs: 1 });
assert.equal((await opened).url.split('?')[0], 'ws://localhost:5000/prefix/ws/dashboard');
local.close();

// Token mode, as a Node program uses it: the WebSocket class injected, the token in the socket URL and in
// `Authorization` on /auth/me, no cookies.
configure({ auth: 'token', token: 'opaque-token', WebSocket: globalThis.WebSocket, baseUrl: 'https://api.example.com' });
opened = nextSocket();
const viaToken = connect('chat', { probeMs: 1 });
assert.equal(new URL((await opened).url).searchParams.get('access_token'), 'opaque-token');
viaToken.close();
assert.equal(await me(), null);
assert.equal(requests.at(-1).init.headers.Authorization, 'Session opaque-token');
assert.equal(requests.at(-1).init.credentials, 'omit');

console.log(`@orleanstabs/client: ${exports.length} exports, base URL for HTTP and WebSocket, token mode: ok`);
// Nothing is left to keep node running: the closed tabs stopped their timers, and the duplicate-tab
// BroadcastChannel does not hold the process.
