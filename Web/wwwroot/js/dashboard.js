// @ts-check
/**
 * Dashboard demo page: a push-only `dashboard` tab. It never calls join/leave/send/history,
 * so the only frames it writes are the client's own ping, resume and ack.
 */
import { connect } from './orleanstabs.js';
import { wireSignOut } from './page.js';

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const SVG = 'http://www.w3.org/2000/svg';
const POINTS = 60;

/** @typedef {{chat: number, dashboard: number, in: number, out: number}} Sample */
/** @type {Sample[]} */
const samples = [];
const conn = connect('dashboard');

/** @param {any} v */
const num = (v) => (typeof v === 'number' && isFinite(v) ? v : 0);
/** @param {number} v */
const fmt = (v) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/** @param {any} data the `cluster` topic value */
function render(data) {
  const tabs = data?.tabs ?? {};
  const frontEnds = Array.isArray(data?.frontEnds) ? data.frontEnds.length : num(data?.frontEnds);
  /** @type {Sample} */
  const s = { chat: num(tabs.chat), dashboard: num(tabs.dashboard), in: num(data?.framesInPerSecond), out: num(data?.framesOutPerSecond) };
  $('sessions').textContent = fmt(num(data?.sessions));
  $('tabs-chat').textContent = fmt(s.chat);
  $('tabs-dashboard').textContent = fmt(s.dashboard);
  $('frames-in').textContent = fmt(s.in);
  $('frames-out').textContent = fmt(s.out);
  $('front-ends').textContent = fmt(frontEnds);
  if (Array.isArray(data?.frontEnds)) $('front-ends').title = data.frontEnds.map(String).join('\n');
  samples.push(s);
  if (samples.length > POINTS) samples.shift();
  chart($('chart-tabs'), [samples.map((x) => x.chat), samples.map((x) => x.dashboard)]);
  chart($('chart-frames'), [samples.map((x) => x.in), samples.map((x) => x.out)]);
}

/**
 * Draws series as polylines on a 600x160 SVG: fixed 60-slot x axis, y scaled to the max.
 * @param {Element} svg @param {number[][]} series
 */
function chart(svg, series) {
  const w = 600, h = 160, pad = 4;
  const max = Math.max(1, ...series.flat());
  const x = (/** @type {number} */ i) => (i * w) / (POINTS - 1);
  const y = (/** @type {number} */ v) => h - pad - (v / max) * (h - 2 * pad);
  const nodes = [];
  for (const f of [0.5, 1]) nodes.push(el('line', { x1: 0, x2: w, y1: y(max * f), y2: y(max * f), class: 'grid' }));
  series.forEach((values, k) => {
    const points = values.map((v, i) => `${x(i + POINTS - values.length).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    nodes.push(el('polyline', { points, class: `series s${k}` }));
  });
  const label = el('text', { x: 4, y: 14, class: 'axis' });
  label.textContent = `max ${fmt(max)}`;
  nodes.push(label);
  svg.replaceChildren(...nodes);
}

/** @param {string} name @param {Record<string, string | number>} attrs */
function el(name, attrs) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** @param {string} text @param {string} [html] */
function banner(text, html) {
  $('status').textContent = text;
  if (html) $('status').insertAdjacentHTML('beforeend', html);
  $('status').hidden = false;
}

function signedOut() {
  banner('You are signed out. ', '<a href="index.html">Sign in again</a>.');
  $('status').classList.add('signed-out');
}

conn.addEventListener('state', (/** @type {any} */ e) => {
  const state = e.detail.state;
  $('state').textContent = state;
  $('state').dataset.state = state;
  $('tab-id').textContent = conn.tabId;
  if (state === 'signed-out') signedOut();
  else if (state === 'closed' && !$('status').classList.contains('signed-out')) {
    banner(`Connection closed${conn.lastClose ? ` (${conn.lastClose.code})` : ''}.`);
  }
});

conn.addEventListener('close', (/** @type {any} */ e) => {
  const { code, reason } = e.detail;
  $('last-close').textContent = reason ? `${code} ${reason}` : String(code);
});

conn.addEventListener('snapshot', (/** @type {any} */ e) => {
  if (e.detail.topic !== 'cluster') return;
  const ts = new Date(e.detail.ts);
  $('snapshot-ts').textContent = isNaN(ts.getTime()) ? String(e.detail.ts ?? '') : ts.toLocaleTimeString();
  render(e.detail.data);
});

conn.addEventListener('error', (/** @type {any} */ e) => console.warn('dashboard error frame', e.detail));

wireSignOut($('signout'), conn, signedOut, banner);
wireSignOut($('signout-everywhere'), conn, signedOut, banner, true);

$('instance-id').textContent = conn.instanceId;
$('tab-id').textContent = conn.tabId;
chart($('chart-tabs'), [[], []]);
chart($('chart-frames'), [[], []]);
