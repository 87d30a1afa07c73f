// Behaviour every demo page shares.
import { signOut } from './orleanstabs.js';

/**
 * Wires a sign-out button: signs out, shows the signed-out state, and closes this tab's connection itself if the
 * server's 4501 close never reaches it.
 * @param {HTMLElement} button
 * @param {import('./orleanstabs.js').TabConnection} conn
 * @param {() => void} signedOut shows the signed-out state
 * @param {(message: string) => void} report shows a failure
 * @param {boolean} [everywhere] sign out of every session of the user (every device)
 */
export function wireSignOut(button, conn, signedOut, report, everywhere = false) {
  button.addEventListener('click', async () => {
    try {
      await signOut({ everywhere });
    } catch (err) {
      return report(`Sign-out failed: ${err instanceof Error ? err.message : err}`);
    }
    signedOut();
    setTimeout(() => { if (conn.state !== 'signed-out') conn.close(); }, 2000);
  });
}
