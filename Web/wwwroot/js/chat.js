// @ts-check
/** Chat demo page: one chat tab connection, rooms, per-room log, delivery state of own lines. */
import { connect } from './orleanstabs.js';
import { wireSignOut } from './page.js';

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const input = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ ($(id));
const MAX_LINES = 500;

/**
 * One log line. Keyed `o:<offset>` once the server placed it, `c:<clientId>` while only sent.
 * @typedef {{offset?: number, clientId?: string, user?: string, text: string, ts?: any,
 *   own: boolean, delivery?: string}} Entry
 */

const conn = connect('chat');
/** @type {Map<string, Map<string, Entry>>} */
const logs = new Map();
/** Rooms whose recent history was loaded on this page. */
const loaded = new Set();
/** Client ids sent from this page. */
const mine = new Set();
/** @type {string | null} */
let current = null;
let user = '';

/** @param {string} room */
function logOf(room) {
  let log = logs.get(room);
  if (!log) logs.set(room, log = new Map());
  return log;
}

/** @param {any} m a `message` frame */
function upsert(m) {
  const log = logOf(m.room);
  const sentKey = `c:${m.clientId}`;
  const prev = log.get(sentKey) ?? log.get(`o:${m.offset}`);
  log.delete(sentKey);
  const own = mine.has(m.clientId) || m.from?.tab === conn.tabId;
  log.set(`o:${m.offset}`, {
    offset: m.offset, clientId: m.clientId, user: m.from?.user, ts: m.ts, own,
    text: m.text ?? JSON.stringify(m.payload),
    delivery: prev?.delivery ?? (own ? 'acked' : undefined), // in the log means durable
  });
  while (log.size > MAX_LINES) log.delete(/** @type {string} */ (log.keys().next().value));
}

/** @param {string} room @param {string} clientId @param {number | undefined} offset @param {string} delivery */
function setDelivery(room, clientId, offset, delivery) {
  const log = logOf(room);
  const sent = log.get(`c:${clientId}`);
  if (sent && offset != null) {
    log.delete(`c:${clientId}`);
    log.set(`o:${offset}`, { ...sent, offset, delivery });
  } else {
    const e = sent ?? log.get(`o:${offset}`);
    if (e) e.delivery = delivery;
  }
  if (room === current) renderLog();
}

function renderLog() {
  const log = current ? logOf(current) : new Map();
  const placed = [...log.values()].filter((e) => e.offset != null).sort((a, b) => Number(a.offset) - Number(b.offset));
  const sending = [...log.values()].filter((e) => e.offset == null);
  $('log').replaceChildren(...[...placed, ...sending].map(line));
  $('log').scrollTop = $('log').scrollHeight;
  /** @type {HTMLButtonElement} */ ($('older')).disabled = !current || placed.length === 0 || Number(placed[0].offset) <= 1;
}

/** @param {Entry} e */
function line(e) {
  const li = document.createElement('li');
  li.className = e.own ? 'own' : '';
  if (e.offset != null) li.dataset.offset = String(e.offset);
  if (e.clientId) li.dataset.clientId = e.clientId;
  const meta = document.createElement('span');
  meta.className = 'meta';
  const time = e.ts != null && !isNaN(new Date(e.ts).getTime()) ? new Date(e.ts).toLocaleTimeString() : '';
  meta.textContent = `${e.offset ?? '…'} ${time} ${e.user ?? ''}`;
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = e.text;
  li.append(meta, text);
  if (e.own && e.delivery) {
    const d = document.createElement('span');
    d.className = `delivery ${e.delivery.split(':')[0]}`;
    d.textContent = e.delivery;
    li.append(d);
    li.dataset.delivery = e.delivery;
  }
  return li;
}

function renderRooms() {
  const rooms = conn.rooms.sort();
  if (current && !rooms.includes(current)) current = null;
  if (!current && rooms.length) select(rooms[0]);
  $('rooms').replaceChildren(...rooms.map((room) => {
    const li = document.createElement('li');
    li.classList.toggle('current', room === current);
    const name = document.createElement('button');
    name.type = 'button';
    name.className = 'link';
    name.textContent = room;
    name.addEventListener('click', () => select(room));
    const leave = document.createElement('button');
    leave.type = 'button';
    leave.textContent = 'leave';
    leave.addEventListener('click', () => conn.leave(room));
    li.append(name, leave);
    return li;
  }));
  $('current-room').textContent = current ?? 'No room';
  updateControls();
}

/** The presence of the room on screen (docs/protocol.md 6.2). @type {import('./orleanstabs.js').RoomPresence | null} */
let watching = null;

/** @param {string} room */
function select(room) {
  current = room;
  if (!loaded.has(room) && conn.state === 'open') conn.history(room, { limit: 50 });
  if (watching?.room !== room) {
    watching?.close();
    watching = conn.presence(room);
    watching.addEventListener('change', renderPresence);
  }
  renderRooms();
  renderLog();
  renderPresence();
}

/** Who is in the room on screen, with each of their tabs: visible or hidden, focused. */
function renderPresence() {
  const state = watching && watching.room === current ? watching.state : new Map();
  $('presence').replaceChildren(...[...state].sort(([a], [b]) => a.localeCompare(b)).map(([who, tabs]) => {
    const li = document.createElement('li');
    li.dataset.user = who;
    const name = document.createElement('strong');
    name.textContent = who;
    li.append(name, ...tabs.map((t) => {
      const tab = document.createElement('span');
      tab.className = `presence-tab ${t.visibility}${t.focused ? ' focused' : ''}`;
      tab.dataset.tab = t.tab;
      tab.title = `tab ${t.tab}, present since ${new Date(t.since).toLocaleTimeString()}`;
      tab.textContent = `${t.tab === conn.tabId ? 'this tab' : t.tab.slice(0, 6)}: ${t.visibility}${t.focused ? ', focused' : ''}`;
      return tab;
    }));
    return li;
  }));
}

function updateControls() {
  const stopped = conn.state === 'closed' || conn.state === 'signed-out' || $('status').classList.contains('signed-out');
  for (const id of ['message-input', 'send']) /** @type {HTMLInputElement} */ ($(id)).disabled = stopped || !current;
  for (const id of ['room-input', 'join']) /** @type {HTMLInputElement} */ ($(id)).disabled = stopped;
}

/** @param {string} text */
function notice(text) {
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  $('notices').prepend(li);
  while ($('notices').children.length > 50) $('notices').lastElementChild?.remove();
}

/** @param {string} text @param {string} [html] */
function banner(text, html) {
  const el = $('status');
  el.textContent = text;
  if (html) el.insertAdjacentHTML('beforeend', html);
  el.hidden = false;
}

function signedOut() {
  banner('You are signed out. ', '<a href="index.html">Sign in again</a>.');
  $('status').classList.add('signed-out');
  updateControls();
}

// ----------------------------------------------------------------- events

conn.addEventListener('state', (/** @type {any} */ e) => {
  const state = e.detail.state;
  $('state').textContent = state;
  $('state').dataset.state = state;
  $('tab-id').textContent = conn.tabId;
  if (state === 'signed-out') signedOut();
  else if (state === 'closed' && !$('status').classList.contains('signed-out')) banner(`Connection closed${conn.lastClose ? ` (${conn.lastClose.code})` : ''}.`);
  else if (state === 'duplicate') notice('duplicated tab: using a fresh tab id');
  updateControls();
});

conn.addEventListener('welcome', (/** @type {any} */ e) => {
  user = e.detail.user ?? user;
  $('user').textContent = user;
  $('tab-id').textContent = conn.tabId;
  if (current && !loaded.has(current)) conn.history(current, { limit: 50 });
  renderRooms(); // selects (and loads) the first room when none is selected
});

conn.addEventListener('close', (/** @type {any} */ e) => {
  const { code, reason } = e.detail;
  $('last-close').textContent = reason ? `${code} ${reason}` : String(code);
});

conn.addEventListener('joined', (/** @type {any} */ e) => {
  notice(`joined ${e.detail.room}`);
  select(e.detail.room);
});

conn.addEventListener('left', (/** @type {any} */ e) => {
  notice(`left ${e.detail.room}`);
  logs.delete(e.detail.room);
  loaded.delete(e.detail.room);
  renderRooms();
  renderLog();
});

conn.addEventListener('message', (/** @type {any} */ e) => {
  const m = e.detail;
  if (!m.room) return notice(`${m.stream ?? 'push'}: ${m.text ?? JSON.stringify(m.payload)}`);
  upsert(m);
  if (m.room === current) renderLog();
});

conn.addEventListener('history', (/** @type {any} */ e) => {
  const { room, messages } = e.detail;
  loaded.add(room);
  for (const m of messages ?? []) upsert({ ...m, room: m.room ?? room });
  if (room === current) renderLog();
});

conn.addEventListener('reset', (/** @type {any} */ e) => {
  const { stream, reason, room } = e.detail;
  notice(`reset ${stream} (${reason})`);
  if (!room) return;
  // The client has asked for fresh history; keep only lines still in flight.
  const log = logOf(room);
  for (const [key, entry] of log) if (entry.offset != null) log.delete(key);
  if (room === current) renderLog();
});

conn.addEventListener('resumed', (/** @type {any} */ e) => {
  const parts = Object.entries(e.detail.streams ?? {}).map(([s, r]) => `${s}: ${r.replayed}${r.recovered ? '' : ' (reset)'}`);
  notice(`resumed ${parts.join(', ')}`);
});

conn.addEventListener('error', (/** @type {any} */ e) => notice(`error ${e.detail.code}: ${e.detail.message ?? ''}`));

// --------------------------------------------------------------- controls

$('join-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const room = input('room-input').value.trim();
  try {
    conn.join(room);
    input('room-input').value = '';
  } catch (err) {
    notice(err instanceof Error ? err.message : String(err));
  }
});

$('send-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = input('message-input').value;
  const room = current;
  if (!room || !text.trim()) return;
  const sent = conn.send(room, text);
  mine.add(sent.id);
  logOf(room).set(`c:${sent.id}`, { clientId: sent.id, user, text, own: true, delivery: 'sending' });
  input('message-input').value = '';
  renderLog();
  sent.then(
    (ack) => setDelivery(room, sent.id, ack.offset, 'acked'),
    (err) => setDelivery(room, sent.id, undefined, `failed: ${err.code ?? err.message}`));
});

$('older').addEventListener('click', () => {
  if (!current) return;
  const offsets = [...logOf(current).values()].map((e) => e.offset).filter((o) => o != null);
  if (offsets.length) conn.history(current, { before: Math.min(.../** @type {number[]} */ (offsets)), limit: 50 });
});

wireSignOut($('signout'), conn, signedOut, notice);
wireSignOut($('signout-everywhere'), conn, signedOut, notice, true);

$('instance-id').textContent = conn.instanceId;
$('tab-id').textContent = conn.tabId;
