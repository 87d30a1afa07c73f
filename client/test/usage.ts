// Uses every export of the package through its published declarations, as an application would: it compiles in this
// folder (the package names itself) and in a project that installed the packed tarball (test/pack-install.mjs).
import {
  PROTOCOL_VERSION, OrleansTabsError, TabConnection, RoomPresence, configure, signIn, signInWithIdentity, signOut, me, connect,
  type AckFrame, type Channel, type ClientOptions, type ConnectOptions, type MessageFrame, type PresentTab,
  type RequestOptions, type Session, type SessionInfo,
} from '@orleanstabs/client';

export async function app(): Promise<void> {
  const version: 1 = PROTOCOL_VERSION;
  const client: ClientOptions = { baseUrl: 'https://api.example.com' };
  configure(client);
  configure({ baseUrl: null });
  const call: RequestOptions = { baseUrl: 'https://api.example.com' };
  const session: Session = await signIn('alice', call);
  const fromIdentity: Session = await signInWithIdentity({ token: 'a.b.c', ...call });
  void fromIdentity;
  const info: SessionInfo | null = await me();
  const tabs: number = info?.tabs.length ?? 0;
  await signOut({ everywhere: true, baseUrl: 'https://api.example.com' });

  const channel: Channel = 'chat';
  const options: ConnectOptions = { baseUrl: 'https://api.example.com', probeMs: 100 };
  const tab: TabConnection = connect(channel, options);
  tab.addEventListener('state', (e) => { const s: 'open' | string = e.detail.state; return s; });
  tab.addEventListener('message', (e) => { const m: MessageFrame = e.detail; return m.offset + 1; });
  tab.addEventListener('ack', (e) => e.detail.offset.toFixed());
  tab.addEventListener('close', (e) => e.detail.code.toFixed());
  tab.addEventListener('error', (e) => e.detail.code.toUpperCase());
  // @ts-expect-error a message's offset is a number
  tab.addEventListener('message', (e) => e.detail.offset.toUpperCase());
  // @ts-expect-error `snapshot` frames carry `data`, not `text`
  tab.addEventListener('snapshot', (e) => e.detail.text);
  tab.join('lobby');
  const sent = tab.send('lobby', 'hello');
  const id: string = sent.id;
  const ack: AckFrame = await sent;
  tab.history('lobby', { before: ack.offset, limit: 50 });
  const presence: RoomPresence = tab.presence('lobby');
  presence.addEventListener('change', (e) => { const t: PresentTab[] | undefined = e.detail.state.get('alice'); return t; });
  presence.close();
  tab.leave('lobby');
  tab.close();
  // @ts-expect-error only `chat` and `dashboard` are channels
  connect('chatroom');

  try {
    connect('dashboard');
  } catch (e) {
    if (e instanceof OrleansTabsError) console.log(e.code, e.detail, version, session.user, tabs, id);
  }
}
