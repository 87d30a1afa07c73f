// Uses every export of the package through its published declarations, as an application would: it compiles in this
// folder (the package names itself) and in a project that installed the packed tarball (test/pack-install.mjs).
import {
  PROTOCOL_VERSION, OrleansTabsError, TabConnection, RoomPresence, configure, signIn, signInWithIdentity, signOut, me, connect,
  type AckFrame, type Channel, type ClientOptions, type ConnectOptions, type MessageFrame, type PresentTab,
  type RequestOptions, type Session, type SessionInfo, type JoinedFrame, type HistoryFrame, type ResultFrame,
  type MessageSender, type TokenStorage, type WebSocketConstructor, type WelcomeFrame,
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

  // Token mode: a page on another site, or Node with an injected WebSocket and fetch.
  const storage: TokenStorage = sessionStorage;
  const socketClass: WebSocketConstructor = WebSocket;
  configure({ auth: 'token', tokenStorage: storage, WebSocket: socketClass, fetch, baseUrl: 'https://api.example.com' });
  const token: string | undefined = (await signIn('alice')).token;
  configure({ token: token ?? null, tokenStorage: null, WebSocket: null, fetch: null });
  configure({ auth: 'cookie' });
  // @ts-expect-error the session is proven by a cookie or a token
  configure({ auth: 'bearer' });

  const channel: Channel = 'chat';
  const options: ConnectOptions = { baseUrl: 'https://api.example.com', probeMs: 100 };
  const tab: TabConnection = connect(channel, options);
  tab.addEventListener('state', (e) => { const s: 'open' | string = e.detail.state; return s; });
  tab.addEventListener('message', (e) => { const m: MessageFrame = e.detail; return m.offset + 1; });
  tab.addEventListener('message', (e) => {
    const from: MessageSender | undefined = e.detail.from;
    if (from?.server) return e.detail.payload;
    const who: string | undefined = from?.name ?? from?.user;
    return who ?? e.detail.text;
  });
  tab.addEventListener('welcome', (e) => { const w: WelcomeFrame = e.detail; return w.name ?? w.user; });
  tab.addEventListener('joined', (e) => (e.detail.by === 'server' ? e.detail.room : null));
  tab.addEventListener('result', (e) => { const r: ResultFrame = e.detail; return r.ref; });
  tab.addEventListener('ack', (e) => e.detail.offset.toFixed());
  tab.addEventListener('close', (e) => e.detail.code.toFixed());
  tab.addEventListener('error', (e) => e.detail.code.toUpperCase());
  // @ts-expect-error a message's offset is a number
  tab.addEventListener('message', (e) => e.detail.offset.toUpperCase());
  // @ts-expect-error `snapshot` frames carry `data`, not `text`
  tab.addEventListener('snapshot', (e) => e.detail.text);
  tab.join('lobby');
  const joined: JoinedFrame = await tab.join('lobby');
  const sent = tab.send('lobby', 'hello');
  const id: string = sent.id;
  const ack: AckFrame = await sent;
  tab.history('lobby', { before: ack.offset, limit: 50 });
  const page: HistoryFrame = await tab.history('lobby', { limit: 10 });
  const first: string | undefined = page.messages[0]?.text;
  const opened = tab.call<{ ticket: number }>('tickets.open', { title: 'printer' });
  const callId: string = opened.id;
  const ticket: number = (await opened).ticket;
  const anything: any = await tab.call('ping');
  try {
    await tab.call('tickets.close', [ticket]);
  } catch (e) {
    if (e instanceof OrleansTabsError && (e.code === 'disconnected' || e.code === 'unknown_method')) console.log(e.message);
  }
  console.log(joined.offset, first, callId, anything);
  const presence: RoomPresence = tab.presence('lobby');
  presence.addEventListener('change', (e) => { const t: PresentTab[] | undefined = e.detail.state.get('alice'); return t; });
  presence.close();
  tab.leave('lobby');
  const left: JoinedFrame = await tab.leave('lobby');
  void left;
  tab.close();
  // @ts-expect-error only `chat` and `dashboard` are channels
  connect('chatroom');

  try {
    connect('dashboard');
  } catch (e) {
    if (e instanceof OrleansTabsError) console.log(e.code, e.detail, version, session.user, tabs, id);
  }
}
