import { randomUUID } from 'node:crypto';
import type { CustomRequest, EventMap, EventName } from '../custom/protocol/index.js';
import {
  buildEventRequest,
  buildIntentRequest,
  buildLaunchRequest,
  buildSessionEndedRequest,
  type RequestOptions,
  type SlotInput,
} from './custom-requests.js';
import {
  buildActionSceneRequest,
  buildDiscoverAppliancesRequest,
  buildDiscoverScenesRequest,
  buildHomeControlRequest,
  type HomeMessage,
} from './home-requests.js';
import { HomeReply } from './home-reply.js';
import type { InteractionModel } from './model.js';
import { didYouMean } from '../core/did-you-mean.js';
import { ReplyProblemError } from './problems.js';
import { Reply } from './reply.js';
import { createResolver, type Resolution, type Resolver } from './resolve.js';
import { signedHeaders, type Signer } from './signer.js';
import { toTransport, type Target, type Transport } from './transport.js';

export type { Signer } from './signer.js';

export interface ConversationOptions extends Omit<RequestOptions, 'session' | 'requestId' | 'timestamp'> {
  /** The extension: a URL (HTTP), or an extension/endpoint object (in-process, no network). */
  target: Target;
  /**
   * Signs every request like CEK: a `TestKeyPair` (the extension trusts `keys.verifyOptions`) or a
   * `TestCertChain` (legacy cert-chain scheme). Omit only for an extension built with `verify: false`.
   */
  keys?: Signer;
  /** The interaction model, for `say("roll three dice")`. */
  model?: InteractionModel;
  /**
   * Throw a `ReplyProblemError` when a reply is not one CEK would accept (status, media type, schema,
   * deadline). Default `true`, so a test fails at the first bad reply; `false` keeps the problems on
   * the reply for you to inspect.
   */
  strict?: boolean;
  /** Account-linking token sent in Clova Home requests. */
  homeAccessToken?: string;
}

interface DiscoveredAppliance {
  applianceId: string;
  actions?: string[];
  additionalApplianceDetails?: Record<string, unknown>;
}

/**
 * CLOVA would not send this Clova Home request: the appliance was not discovered or does not declare
 * the action (clova-home-extension.md §2). The user hears a refusal; the extension is never called.
 */
export class NotForwardedError extends Error {
  constructor(reason: string) {
    super(`CLOVA would not forward this request: ${reason}`);
    this.name = 'NotForwardedError';
  }
}

/** One request and its reply, in order. */
export type Turn =
  | { kind: 'custom'; request: CustomRequest; reply: Reply; resolution?: Resolution }
  | { kind: 'home'; request: HomeMessage; reply: HomeReply };

/**
 * A conversation with one extension, kept the way CEK keeps it (spec custom-extension.md §2.2):
 * the first request of a session has `session.new: true`, later ones `false` with the same
 * `sessionId`; the `sessionAttributes` of each reply come back in the next request; a reply with
 * `shouldEndSession: true` ends the session, and the next request opens a new one.
 */
export class Conversation {
  readonly transport: Transport;
  readonly history: Turn[] = [];
  private readonly options: ConversationOptions;
  private readonly resolver: Resolver | undefined;
  private session: { id: string; new: boolean; attributes: Record<string, unknown> } | undefined;
  /** Appliances from the last discovery, by id; undefined until `discover()` ran. */
  private appliances: Map<string, DiscoveredAppliance> | undefined;
  private homeToken: string | undefined;

  constructor(options: ConversationOptions) {
    this.options = options;
    this.homeToken = options.homeAccessToken;
    this.transport = toTransport(options.target);
    this.resolver = options.model ? createResolver(options.model) : undefined;
    // An in-process extension can be compared with the model: misspelled handlers show up in the test log.
    const target = options.target as { checkAgainstModel?: (model: InteractionModel) => string[] };
    if (options.model && typeof target.checkAgainstModel === 'function')
      target.checkAgainstModel(options.model);
  }

  /** The current session id, or undefined when no session is open. */
  get sessionId(): string | undefined {
    return this.session?.id;
  }

  /** Attributes the next request will carry. */
  get sessionAttributes(): Record<string, unknown> {
    return this.session?.attributes ?? {};
  }

  get sessionOpen(): boolean {
    return this.session !== undefined;
  }

  /**
   * The account-linking token the next Clova Home requests carry (the `homeAccessToken` option).
   * Set it to switch accounts or to try another token mid-conversation; `undefined` sends the
   * builders' placeholder, `sample-access-token`. A different token may be another account, so the
   * appliances of the last `discover()` are forgotten until the next one.
   */
  get homeAccessToken(): string | undefined {
    return this.homeToken;
  }

  set homeAccessToken(token: string | undefined) {
    if (token !== this.homeToken) this.appliances = undefined;
    this.homeToken = token;
  }

  /** The user opens the extension ("…を起動して"): always a new session (§3.1). */
  launch(): Promise<Reply> {
    this.session = undefined;
    return this.sendCustom((options) => buildLaunchRequest(options));
  }

  /**
   * An utterance that matched `name`; outside a session it is a one-shot request in a new one (§1).
   * With a `model`, a name or slot the model does not have throws: CEK could never send it.
   */
  intent(name: string, slots: Record<string, SlotInput> = {}): Promise<Reply> {
    if (this.options.model) checkIntentInModel(this.options.model, name, slots);
    return this.sendCustom((options) => buildIntentRequest(name, slots, options));
  }

  /**
   * Types a sentence: it is resolved with the interaction model (see `createResolver`) into the
   * request CEK would send. `reply.resolution` says which sample matched, or the near misses.
   */
  async say(text: string): Promise<Reply & { resolution: Resolution }> {
    if (!this.resolver)
      throw new TypeError('say() needs an interaction model: createConversation({ model })');
    const resolution = this.resolver.resolve(text);
    const reply =
      resolution.type === 'SessionEndedRequest'
        ? await this.end()
        : await this.intent(resolution.intent, resolution.slots);
    const turn = this.history[this.history.length - 1];
    if (turn?.kind === 'custom') turn.resolution = resolution;
    return Object.assign(reply, { resolution });
  }

  /** A client event, e.g. `event('AudioPlayer.PlayFinished', { token })`; documented events get realistic payloads. */
  event<N extends EventName>(
    name: N,
    payload?: Partial<NonNullable<EventMap[N]['payload']>> | null,
  ): Promise<Reply>;
  event(name: `${string}.${string}`, payload?: Record<string, unknown> | null): Promise<Reply>;
  event(name: string, payload?: Record<string, unknown> | null): Promise<Reply> {
    // Client events are reports, not dialogue turns: they belong to the open session if there is one.
    const open = this.session !== undefined;
    return this.sendCustom(
      (options) =>
        buildEventRequest(name as `${string}.${string}`, payload, {
          ...options,
          session: { ...options.session, new: false },
        }),
      { keepSessionClosed: !open },
    );
  }

  /**
   * The session ends from CEK's side (the user said "終了", or it timed out): a `SessionEndedRequest`
   * (§3.3). CEK ignores the answer (http-and-validation.md §1.3), so the session is closed whatever it says.
   */
  async end(): Promise<Reply> {
    const reply = await this.sendCustom((options) => buildSessionEndedRequest(options));
    this.session = undefined;
    return reply;
  }

  /** Sends a Custom message you built yourself (signed), without touching the session state. */
  async send(message: CustomRequest): Promise<Reply> {
    const reply = new Reply(message, await this.post(JSON.stringify(message)));
    this.history.push({ kind: 'custom', request: message, reply });
    return this.checked(reply);
  }

  /**
   * Clova Home: `DiscoverAppliancesRequest` (clova-home-extension.md §3). The appliances it returns are
   * remembered, so `control()` then behaves like CLOVA (§2).
   */
  async discover(): Promise<HomeReply> {
    const reply = await this.sendHome(buildDiscoverAppliancesRequest(this.homeOptions()));
    const found =
      reply.name === 'DiscoverAppliancesResponse' ? reply.payload.discoveredAppliances : undefined;
    if (Array.isArray(found)) {
      this.appliances = new Map();
      for (const appliance of found as DiscoveredAppliance[]) {
        if (typeof appliance?.applianceId === 'string') this.appliances.set(appliance.applianceId, appliance);
      }
    }
    return reply;
  }

  /**
   * Clova Home: a control or query request, e.g. `control('SetBrightness', 'light-1', { brightness: { value: 50 } })`.
   * After `discover()`, like CLOVA (§2), it refuses (throws `NotForwardedError`, nothing sent) an
   * appliance that was not discovered or an action the appliance did not declare, and echoes the
   * appliance's `additionalApplianceDetails` (§4.2). `sendHome()` sends anything as is.
   */
  async control(
    action: string,
    applianceId: string,
    fields: Record<string, unknown> = {},
  ): Promise<HomeReply> {
    if (/^ActionScene(Request)?$/.test(action))
      throw new TypeError('Scenes have no appliance: use actionScene(scene)');
    const appliance = this.appliances?.get(applianceId);
    if (this.appliances && !appliance)
      throw new NotForwardedError(`discovery did not return an appliance "${applianceId}"`);
    const name = action.replace(/Request$/, '');
    // HealthCheck is sent to any discovered appliance (not listed in `actions`, §2).
    if (
      appliance &&
      name !== 'HealthCheck' &&
      Array.isArray(appliance.actions) &&
      !appliance.actions.includes(name)
    ) {
      throw new NotForwardedError(
        `appliance "${applianceId}" does not declare ${name} (its actions: ${appliance.actions.join(', ') || 'none'})`,
      );
    }
    const details = appliance?.additionalApplianceDetails;
    return this.sendHome(
      buildHomeControlRequest(action, applianceId, fields, {
        ...this.homeOptions(),
        ...(details && typeof details === 'object' ? { additionalApplianceDetails: details } : {}),
      }),
    );
  }

  /** Clova Home (JP): `DiscoverScenesRequest`. */
  discoverScenes(): Promise<HomeReply> {
    return this.sendHome(buildDiscoverScenesRequest(this.homeOptions()));
  }

  /** Clova Home (JP): `ActionSceneRequest` for a scene from `discoverScenes()`. */
  actionScene(scene: { sceneId: string; sceneName: string }): Promise<HomeReply> {
    return this.sendHome(buildActionSceneRequest(scene, this.homeOptions()));
  }

  /** Sends a Clova Home message you built yourself (signed). */
  async sendHome(message: HomeMessage): Promise<HomeReply> {
    const reply = new HomeReply(message, await this.post(JSON.stringify(message)));
    this.history.push({ kind: 'home', request: message, reply });
    if (this.options.strict !== false && !reply.ok)
      throw new ReplyProblemError(`The reply to ${message.header.name}`, reply.problems);
    return reply;
  }

  private homeOptions() {
    return this.homeToken !== undefined ? { accessToken: this.homeToken } : {};
  }

  private async sendCustom(
    build: (options: RequestOptions & { session: NonNullable<RequestOptions['session']> }) => CustomRequest,
    { keepSessionClosed = false } = {},
  ): Promise<Reply> {
    const session = this.session ?? { id: randomUUID(), new: true, attributes: {} };
    const {
      target: _target,
      keys: _keys,
      model: _model,
      strict: _strict,
      homeAccessToken: _token,
      ...defaults
    } = this.options;
    const message = build({ ...defaults, session: { ...session } });
    const reply = new Reply(message, await this.post(JSON.stringify(message)));
    this.history.push({ kind: 'custom', request: message, reply });
    if (keepSessionClosed) return this.checked(reply);
    // CEK's session bookkeeping: attributes come back, `shouldEndSession` closes the session.
    if (reply.status === 200 && !reply.shouldEndSession) {
      this.session = { id: session.id, new: false, attributes: reply.sessionAttributes };
    } else {
      this.session = undefined;
    }
    return this.checked(reply);
  }

  private post(body: string) {
    return this.transport.send({ method: 'POST', headers: signedHeaders(this.options.keys, body), body });
  }

  private checked(reply: Reply): Reply {
    if (this.options.strict !== false) reply.assertValid();
    return reply;
  }
}

function checkIntentInModel(model: InteractionModel, name: string, slots: Record<string, SlotInput>): void {
  if (name.startsWith('Clova.')) return;
  const intent = model.intents.find((candidate) => candidate.name === name);
  const names = model.intents.map((candidate) => candidate.name);
  if (!intent)
    throw new TypeError(
      `intent("${name}"): the interaction model has no such intent, so CEK never sends it.${didYouMean(name, names)}`,
    );
  const known = Object.keys(intent.slots);
  for (const slot of Object.keys(slots)) {
    if (!known.includes(slot))
      throw new TypeError(
        `intent("${name}"): the interaction model gives it no slot "${slot}".${didYouMean(slot, known)}`,
      );
  }
}

/**
 * Starts a conversation with an extension, in-process or over HTTP:
 *
 *   const keys = generateTestKeyPair();
 *   const app = createDiceExtension({ verify: keys.verifyOptions });
 *   const cek = createConversation({ target: app, keys, extensionId: 'com.example.dice' });
 *   expect((await cek.launch()).speech).toContain('サイコロ');
 */
export function createConversation(options: ConversationOptions): Conversation {
  return new Conversation(options);
}
