// Holds the published, hand-written declarations (src/orleanstabs.d.ts) against the ones tsc generates from the
// JSDoc of src/orleanstabs.js (build/from-jsdoc, made by tsconfig.emit.json): the same exports, the same parameters,
// and declared results that the implementation's results accept. It compiles or it fails; nothing runs.
import * as Decl from '../src/orleanstabs.js';
import * as Impl from '../build/from-jsdoc/orleanstabs.js';

type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

/** The public face of a type: a class's ES private members (`#private` in a generated .d.ts) make it nominal. */
type Public<T> = T extends object ? { [K in keyof T]: T[K] } : T;

/** A function agrees when its parameters are the same and its declared result is one the implementation can give. */
type Agrees<D, I> = [D] extends [(...args: infer DP) => infer DR]
  ? [I] extends [(...args: infer IP) => infer IR]
    ? Mutual<DP, IP> extends true ? ([Public<DR>] extends [Public<IR>] ? true : false) : false
    : false
  : Mutual<D, I>;

/** Every public member of a class: the same names (inherited EventTarget members aside), each agreeing. */
type Own<T> = Exclude<keyof T, keyof EventTarget>;
type Members<D, I> = Mutual<Own<D>, Own<I>> extends true
  ? false extends { [K in Own<D> & Own<I>]: Agrees<D[K], I[K]> }[Own<D> & Own<I>] ? false : true
  : false;

type Constructors<D extends abstract new (...args: any) => any, I extends abstract new (...args: any) => any> =
  Mutual<ConstructorParameters<D>, ConstructorParameters<I>>;

export type Checks = [
  Assert<Mutual<keyof typeof Decl, keyof typeof Impl>>,
  Assert<Mutual<typeof Decl.PROTOCOL_VERSION, typeof Impl.PROTOCOL_VERSION>>,
  Assert<Agrees<typeof Decl.configure, typeof Impl.configure>>,
  Assert<Agrees<typeof Decl.signIn, typeof Impl.signIn>>,
  Assert<Agrees<typeof Decl.signInWithIdentity, typeof Impl.signInWithIdentity>>,
  Assert<Agrees<typeof Decl.signOut, typeof Impl.signOut>>,
  Assert<Agrees<typeof Decl.me, typeof Impl.me>>,
  Assert<Mutual<Parameters<typeof Decl.connect>, Parameters<typeof Impl.connect>>>,
  Assert<Constructors<typeof Decl.TabConnection, typeof Impl.TabConnection>>,
  Assert<Members<Decl.TabConnection, Impl.TabConnection>>,
  Assert<Constructors<typeof Decl.RoomPresence, typeof Impl.RoomPresence>>,
  Assert<Members<Decl.RoomPresence, Impl.RoomPresence>>,
  Assert<Constructors<typeof Decl.OrleansTabsError, typeof Impl.OrleansTabsError>>,
  Assert<Members<Decl.OrleansTabsError, Impl.OrleansTabsError>>,
  Assert<Mutual<Decl.Channel, Impl.Channel>>,
  Assert<Mutual<Decl.ConnectionState, Impl.ConnectionState>>,
  Assert<Mutual<Decl.StreamPosition, Impl.StreamPosition>>,
  Assert<Mutual<Decl.CloseInfo, Impl.CloseInfo>>,
  Assert<Mutual<Decl.ConnectOptions, Impl.ConnectOptions>>,
  Assert<Mutual<Decl.ClientOptions, Impl.ClientOptions>>,
  Assert<Mutual<Decl.RequestOptions, Impl.RequestOptions>>,
  Assert<Mutual<Decl.PresentTab, Impl.PresentTab>>,
  Assert<Mutual<Decl.Session, Impl.Session>>,
  Assert<Mutual<Decl.AuthMode, Impl.AuthMode>>,
  Assert<Mutual<Decl.TokenStorage, Impl.TokenStorage>>,
  Assert<Mutual<Decl.WebSocketLike, Impl.WebSocketLike>>,
  Assert<Mutual<Decl.WebSocketConstructor, Impl.WebSocketConstructor>>,
  Assert<Mutual<Decl.FetchLike, Impl.FetchLike>>,
];
