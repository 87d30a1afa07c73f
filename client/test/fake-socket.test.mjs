// Runs the client in node against an in-process stand-in for the server's sockets and HTTP endpoints (injected with
// configure), driving the frames of docs/protocol.md by hand. Every wait is on an event or a frame, never on time.
import assert from 'node:assert/strict';
import { test } from 'node:test';

// Node 18 (Debian's) has no global Web Crypto; browsers and node 20 do.
globalThis.crypto ??= (await import('node:crypto')).webcrypto;
const { configure, connect, me, signIn, signOut, OrleansTabsError } = await import('../src/orleanstabs.js');

/** Sockets the client opened that no test took yet, and tests waiting for one. */
const unclaimed = [];
const claimants = [];
const nextSocket = () => (unclaimed.length ? Promise.resolve(unclaimed.shift()) : new Promise((r) => claimants.push(r)));

/** Implements the part of the WebSocket interface the client uses; the test plays the server. */
class FakeSocket {
  constructor(url) {
    this.url = new URL(url);
    this.readyState = 0;
    this.onopen = this.onmessage = this.onclose = null;
    /** Frames the client sent, parsed; `taken` marks the ones a test already matched. */
    this.sent = [];
    this.taken = new Set();
    this.watchers = [];
    const claim = claimants.shift();
    if (claim) claim(this); else unclaimed.push(this);
  }

  send(data) {
    this.sent.push(JSON.parse(data));
    for (const w of [...this.watchers]) this.#offer(w);
  }

  close() { this.readyState = 3; }

  /** The next frame the client sends (or sent) that matches and that no earlier wait took. */
  frame(type, match = () => true) {
    return new Promise((resolve) => {
      const w = { type, match, resolve };
      this.watchers.push(w);
      this.#offer(w);
    });
  }

  #offer(w) {
    const i = this.sent.findIndex((f, n) => !this.taken.has(n) && f.type === w.type && w.match(f));
    if (i < 0) return;
    this.taken.add(i);
    this.watchers.splice(this.watchers.indexOf(w), 1);
    w.resolve(this.sent[i]);
  }

  /** Every frame of `type` the client sent. */
  all(type) { return this.sent.filter((f) => f.type === type); }

  receive(frame) { this.onmessage?.({ data: JSON.stringify(frame) }); }

  /** Accepts the upgrade and sends `welcome` with these stream heads. */
  welcome(streams = {}) {
    this.readyState = 1;
    this.onopen?.({});
    this.receive({
      type: 'welcome', v: 1, tab: this.url.searchParams.get('tab'), instance: this.url.searchParams.get('instance'),
      channel: 'chat', user: 'sub-alice', name: 'Alice', heartbeatMs: 15000, streams,
    });
  }

  /** The socket vanishes (no close handshake). */
  lose(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
}

/** The next `type` event of `target` whose detail matches. */
const nextEvent = (target, type, match = () => true) => new Promise((resolve) => {
  const on = (e) => {
    if (!match(e.detail)) return;
    target.removeEventListener(type, on);
    resolve(e.detail);
  };
  target.addEventListener(type, on);
});

// A test whose awaited frame or event never comes fails at its `timeout` instead of hanging the run.
const refused = (code) => (e) => e instanceof OrleansTabsError && e.code === code;
const head = (offset = 0) => ({ epoch: 'e1', offset });

const requests = [];
let loginToken = 'token-2';
configure({
  baseUrl: 'https://api.example.com/app',
  auth: 'token',
  token: 'token-1',
  WebSocket: FakeSocket,
  fetch: async (url, init) => {
    requests.push({ url, init });
    if (url.endsWith('/auth/login')) return Response.json({ user: 'sub-alice', session: 'h', expiresAt: '2030-01-01T00:00:00Z', token: loginToken });
    if (url.endsWith('/auth/me')) return Response.json({ user: 'sub-alice', session: 'h', expiresAt: '2030-01-01T00:00:00Z', tabs: [] });
    return new Response(null, { status: 204 });
  },
});

/** A chat tab whose first socket is welcomed with `streams`; closed when test `t` ends, passed or not. */
async function open(t, streams = {}) {
  const socket = nextSocket();
  const tab = connect('chat', { probeMs: 1, baseDelayMs: 1, maxDelayMs: 2 });
  t.after(() => tab.close());
  const ws = await socket;
  const opened = nextEvent(tab, 'state', (d) => d.state === 'open');
  ws.welcome(streams);
  await opened;
  return { tab, ws };
}

test('token mode puts the token in the socket URL and in Authorization on /auth/me and /auth/logout, without cookies', { timeout: 5000 }, async (t) => {
  const { tab, ws } = await open(t);
  assert.equal(`${ws.url.protocol}//${ws.url.host}${ws.url.pathname}`, 'wss://api.example.com/app/ws/chat');
  assert.equal(ws.url.searchParams.get('access_token'), 'token-1');
  assert.equal(ws.url.searchParams.get('v'), '1');
  tab.close();

  requests.length = 0;
  assert.equal((await me()).user, 'sub-alice');
  assert.equal(requests[0].url, 'https://api.example.com/app/auth/me');
  assert.equal(requests[0].init.headers.Authorization, 'Session token-1');
  assert.equal(requests[0].init.credentials, 'omit');

  // A sign-in replaces the token; the next socket carries the new one.
  const session = await signIn('alice');
  assert.equal(session.token, 'token-2');
  assert.equal(requests[1].init.credentials, 'omit');
  assert.equal(requests[1].init.headers.Authorization, undefined);
  const again = await open(t);
  assert.equal(again.ws.url.searchParams.get('access_token'), 'token-2');
  again.tab.close();

  await signOut();
  assert.equal(requests[2].url, 'https://api.example.com/app/auth/logout');
  assert.equal(requests[2].init.headers.Authorization, 'Session token-2');
  assert.equal(requests[2].init.credentials, 'omit');
  // Signed out, the token is gone: nothing to ask, nothing to connect with.
  assert.equal(await me(), null);
  assert.equal(requests.length, 3);
  assert.throws(() => connect('chat'), refused('no_token'));

  loginToken = undefined;
  await assert.rejects(signIn('alice'), refused('no_token'));
  configure({ token: 'token-1' });
});

test('a call resolves with the data of the result whose ref is its id, once, whatever the order of the answers', { timeout: 5000 }, async (t) => {
  const { tab, ws } = await open(t);
  assert.throws(() => tab.call('bad method!'), refused('invalid_field'));
  assert.throws(() => tab.call(''), refused('invalid_field'));
  assert.throws(() => tab.call('x'.repeat(65)), refused('invalid_field'));

  const first = tab.call('tickets.open', { title: 'printer' });
  const second = tab.call('tickets.count');
  const [a, b] = [await ws.frame('call', (f) => f.id === first.id), await ws.frame('call', (f) => f.id === second.id)];
  assert.deepEqual(a, { type: 'call', id: first.id, method: 'tickets.open', args: { title: 'printer' } });
  assert.equal('args' in b, false);

  ws.receive({ type: 'result', ref: second.id, data: 7 });
  ws.receive({ type: 'result', ref: first.id, data: { ticket: 1 } });
  assert.equal(await second, 7);
  assert.deepEqual(await first, { ticket: 1 });

  // An answer to a settled call settles nothing else.
  const third = tab.call('tickets.close', [1]);
  await ws.frame('call', (f) => f.id === third.id);
  ws.receive({ type: 'result', ref: first.id, data: 'again' });
  ws.receive({ type: 'error', ref: first.id, code: 'internal', message: 'again' });
  ws.receive({ type: 'error', ref: third.id, code: 'ticket_closed', message: 'ticket 1 is closed' });
  await assert.rejects(third, (e) => refused('ticket_closed')(e) && e.message === 'ticket 1 is closed');

  for (const code of ['unknown_method', 'forbidden', 'internal', 'not_allowed', 'invalid_field']) {
    const call = tab.call('m');
    await ws.frame('call', (f) => f.id === call.id);
    ws.receive({ type: 'error', ref: call.id, code, message: code });
    await assert.rejects(call, refused(code));
  }
  tab.close();
});

test('a call whose socket is lost rejects with disconnected and is not sent again; one not yet sent goes out after the next welcome', { timeout: 5000 }, async (t) => {
  const { tab, ws } = await open(t);
  const inFlight = tab.call('payments.charge', { cents: 100 });
  await ws.frame('call', (f) => f.id === inFlight.id);
  const next = nextSocket();
  ws.lose();
  await assert.rejects(inFlight, refused('disconnected'));

  const ws2 = await next;
  const queued = tab.call('tickets.count'); // before the new socket's welcome
  ws2.welcome();
  const sent = await ws2.frame('call', (f) => f.id === queued.id);
  ws2.receive({ type: 'result', ref: sent.id, data: 3 });
  assert.equal(await queued, 3);
  assert.deepEqual(ws2.all('call').map((f) => f.id), [queued.id]);

  // Closing the tab rejects what is still waiting.
  const waiting = tab.call('slow');
  await ws2.frame('call', (f) => f.id === waiting.id);
  tab.close();
  await assert.rejects(waiting, refused('closed'));
});

test('join, leave and history resolve with their replies in order per room, and reject with the error that names their id', { timeout: 5000 }, async (t) => {
  const { tab, ws } = await open(t);
  const joining = tab.join('lobby');
  const join = await ws.frame('join');
  assert.equal(join.room, 'lobby');
  assert.equal(typeof join.id, 'string');
  ws.receive({ type: 'joined', room: 'lobby', stream: 'room:lobby', ...head(4) });
  assert.equal((await joining).offset, 4);
  assert.deepEqual(tab.rooms, ['lobby']);

  const refusedJoin = tab.join('secret');
  const secret = await ws.frame('join', (f) => f.room === 'secret');
  ws.receive({ type: 'error', ref: secret.id, code: 'forbidden', message: 'not for you' });
  await assert.rejects(refusedJoin, refused('forbidden'));
  assert.deepEqual(tab.rooms, ['lobby']);

  // Two pages of one room: the replies come in the order asked.
  const newest = tab.history('lobby', { limit: 2 });
  const older = tab.history('lobby', { before: 3, limit: 2 });
  const asks = [await ws.frame('history'), await ws.frame('history')];
  assert.deepEqual(asks.map(({ id, ...f }) => f), [{ type: 'history', room: 'lobby', limit: 2 }, { type: 'history', room: 'lobby', before: 3, limit: 2 }]);
  const message = (offset) => ({
    type: 'message', stream: 'room:lobby', epoch: 'e1', offset, id: `m${offset}`, room: 'lobby', text: `t${offset}`,
    from: { user: 'sub-bob', name: 'Bob', tab: 't1' }, ts: 1,
  });
  ws.receive({ type: 'history', room: 'lobby', messages: [message(3), message(4)] });
  ws.receive({ type: 'history', room: 'lobby', messages: [message(1), message(2)] });
  assert.deepEqual((await newest).messages.map((m) => m.offset), [3, 4]);
  assert.deepEqual((await older).messages.map((m) => m.offset), [1, 2]);

  const notMember = tab.history('elsewhere');
  const asked = await ws.frame('history', (f) => f.room === 'elsewhere');
  ws.receive({ type: 'error', ref: asked.id, code: 'not_member', message: 'join first' });
  await assert.rejects(notMember, refused('not_member'));

  // A join whose reply was lost with its socket goes out again on the next one (a join is idempotent).
  const later = tab.join('later');
  const firstTry = await ws.frame('join', (f) => f.room === 'later');
  const next = nextSocket();
  ws.lose();
  const ws2 = await next;
  ws2.welcome({ 'room:lobby': head(4) });
  const secondTry = await ws2.frame('join', (f) => f.room === 'later');
  assert.equal(secondTry.id, firstTry.id);
  ws2.receive({ type: 'joined', room: 'later', stream: 'room:later', ...head() });
  assert.equal((await later).room, 'later');

  const leaving = tab.leave('lobby');
  await ws2.frame('leave', (f) => f.room === 'lobby');
  ws2.receive({ type: 'left', room: 'lobby', stream: 'room:lobby', ...head(4) });
  assert.equal((await leaving).type, 'left');
  assert.deepEqual(tab.rooms, ['later']);

  // Callers that ignore the promises (the API before they existed) see refusals as events, not unhandled rejections.
  tab.join('ignored');
  const ignored = await ws2.frame('join', (f) => f.room === 'ignored');
  const event = nextEvent(tab, 'error', (d) => d.ref === ignored.id);
  ws2.receive({ type: 'error', ref: ignored.id, code: 'forbidden', message: 'no' });
  assert.equal((await event).code, 'forbidden');

  const pending = tab.join('never');
  tab.close();
  await assert.rejects(pending, refused('closed'));
  assert.throws(() => tab.join('after'), refused('closed'));
});

test('rooms the server joined are members from welcome and from joined by server, answer no request, and refuse a leave', { timeout: 5000 }, async (t) => {
  const { tab, ws } = await open(t, { tab: head(2), 'room:ops': head(9) });
  assert.deepEqual(tab.rooms, ['ops']);

  const joining = tab.join('news');
  const join = await ws.frame('join', (f) => f.room === 'news');
  const byServer = nextEvent(tab, 'joined', (d) => d.by === 'server');
  ws.receive({ type: 'joined', room: 'news', stream: 'room:news', ...head(1), by: 'server' });
  assert.equal((await byServer).room, 'news');
  assert.deepEqual(tab.rooms.sort(), ['news', 'ops']);
  ws.receive({ type: 'joined', room: 'news', stream: 'room:news', ...head(1) });
  assert.equal((await joining).by, undefined, 'the reply, not the server-decided frame, answers the join');
  assert.equal(join.room, 'news');

  const leaving = tab.leave('ops');
  const leave = await ws.frame('leave', (f) => f.room === 'ops');
  ws.receive({ type: 'error', ref: leave.id, code: 'forbidden', message: 'the server joined this room' });
  await assert.rejects(leaving, refused('forbidden'));
  assert.ok(tab.rooms.includes('ops'));

  const published = nextEvent(tab, 'message');
  ws.receive({ type: 'message', stream: 'room:ops', epoch: 'e1', offset: 10, id: 's1', room: 'ops', from: { server: true }, payload: { alert: 1 }, ts: 1 });
  assert.deepEqual((await published).payload, { alert: 1 });

  const leftByServer = nextEvent(tab, 'left');
  ws.receive({ type: 'left', room: 'ops', stream: 'room:ops', ...head(10), by: 'server' });
  assert.equal((await leftByServer).by, 'server');
  assert.deepEqual(tab.rooms, ['news']);

  // A room the welcome of a new socket no longer lists was left while no socket listened: it is not resumed.
  const next = nextSocket();
  ws.lose();
  const ws2 = await next;
  ws2.welcome({ tab: head(2) });
  const resume = await ws2.frame('resume');
  assert.deepEqual(Object.keys(resume.streams), ['tab']);
  assert.deepEqual(tab.rooms, []);
  tab.close();
});

test('presence follows next: it asks who after each page and merges the pages, and a first page starts afresh', { timeout: 5000 }, async (t) => {
  const { tab, ws } = await open(t);
  const presence = tab.presence('lobby');
  assert.deepEqual(await ws.frame('who'), { type: 'who', room: 'lobby' });
  const entry = (id) => ({ tab: id, name: 'n', visibility: 'visible', focused: false, since: '2026-01-01T00:00:00Z' });
  ws.receive({ type: 'presence', room: 'lobby', state: { ann: [entry('a1')], bob: [entry('b1')] }, next: 'b1:bob' });
  assert.deepEqual(await ws.frame('who', (f) => f.after), { type: 'who', room: 'lobby', after: 'b1:bob' });
  const merged = nextEvent(presence, 'change');
  ws.receive({ type: 'presence', room: 'lobby', state: { bob: [entry('b2')], cid: [entry('c1')] }, after: 'b1:bob' });
  assert.deepEqual([...(await merged).state].map(([u, tabs]) => [u, tabs.map((x) => x.tab)]), [['ann', ['a1']], ['bob', ['b1', 'b2']], ['cid', ['c1']]]);

  const fresh = nextEvent(presence, 'change');
  ws.receive({ type: 'presence', room: 'lobby', state: { cid: [entry('c1')] } });
  assert.deepEqual([...(await fresh).state.keys()], ['cid']);
  assert.equal(ws.all('who').length, 2);
});
