// @ts-check
/** Sign-in page: development sign-in, current session, sign-out. */
import { me, signIn, signOut } from './orleanstabs.js';

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {string} text @param {boolean} [isError] */
function status(text, isError = false) {
  const el = $('status');
  el.textContent = text;
  el.hidden = !text;
  el.classList.toggle('error', isError);
}

async function refresh() {
  let session = null;
  try {
    session = await me();
  } catch (e) {
    status(`Could not reach the server: ${e instanceof Error ? e.message : e}`, true);
  }
  $('login-form').hidden = !!session;
  $('signed-in').hidden = !session;
  if (!session) return;
  $('who').textContent = session.user;
  $('session').textContent = session.session;
  $('expires').textContent = new Date(session.expiresAt).toLocaleString();
  $('tabs').replaceChildren(...(session.tabs ?? []).map((t) => {
    const tr = document.createElement('tr');
    const lastClose = t.lastClose ? `${t.lastClose.code} ${t.lastClose.reason}, ${new Date(t.lastClose.at).toLocaleTimeString()}` : '';
    const connectedAt = t.connectedAt ? new Date(t.connectedAt).toLocaleTimeString() : '';
    for (const v of [t.tab, t.channel, t.connected ? 'yes' : 'no', t.frontEnd ?? '', connectedAt, lastClose]) {
      const td = document.createElement('td');
      td.textContent = String(v);
      tr.append(td);
    }
    return tr;
  }));
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const user = /** @type {HTMLInputElement} */ ($('user')).value.trim();
  try {
    await signIn(user);
    status('');
    await refresh();
  } catch (err) {
    status(`Sign-in failed: ${err instanceof Error ? err.message : err}`, true);
  }
});

for (const [id, everywhere] of /** @type {const} */ ([['signout', false], ['signout-everywhere', true]])) {
  $(id).addEventListener('click', async () => {
    try {
      await signOut({ everywhere });
      status(everywhere ? 'You are signed out of every session.' : 'You are signed out.');
    } catch (err) {
      status(`Sign-out failed: ${err instanceof Error ? err.message : err}`, true);
    }
    await refresh();
  });
}

refresh();
