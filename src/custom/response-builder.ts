import {
  directivePayloadIssues,
  isDocumentedDirective,
  markRegisteredDirective,
} from './protocol/directives.js';
import type {
  AudioItem,
  AudioStream,
  Card,
  CustomResponse,
  DeliveredAudioStream,
  Directive,
  DirectiveKey,
  DirectivePayload,
  OutputSpeech,
  RenderPlayerInfoDirective,
  SpeechInfo,
  Speech,
  SpeechLanguage,
} from './protocol/index.js';
import { formatIssue } from '../schema/index.js';
import { ResponseError } from './errors.js';
import { toSpeechInfos, type SpeechInput } from './speech.js';

/** `AudioPlayer.Play` (spec custom-extension.md §5.1), with what cekit can fill in left optional. */
export interface PlayOptions {
  /** Default: a random UUID. Clients drop a Play whose id they already have. */
  audioItemId?: string;
  titleText: string;
  /** Usually the artist. */
  titleSubText1: string;
  titleSubText2?: string;
  headerText?: string;
  artImageUrl?: string;
  stream: Omit<AudioStream, 'token' | 'urlPlayable' | 'beginAtInMilliseconds'> & {
    /** Echoed in every AudioPlayer event for this stream. Default: the audioItemId. */
    token?: string;
    /** Default true. `false`: `url` is a placeholder; answer `AudioPlayer.StreamRequested` with `streamDeliver`. */
    urlPlayable?: boolean;
    /** Start offset in ms. Default 0. */
    beginAtInMilliseconds?: number;
  };
  /** Default `REPLACE_ALL` (play now); `ENQUEUE` appends to the queue. */
  playBehavior?: 'REPLACE_ALL' | 'ENQUEUE';
  /** The audio provider. Default: the extension's `audioSource` option. */
  source?: { name: string; logoUrl?: string };
}

/** `AudioPlayer.StreamDeliver` (§5.2): the playable URL for a deferred stream. */
export interface StreamDeliverOptions {
  audioItemId: string;
  audioStream: DeliveredAudioStream;
}

type SpeechState =
  | { kind: 'none' }
  | { kind: 'list'; values: SpeechInfo[] }
  | { kind: 'set'; brief: SpeechInfo; verbose: SpeechInfo[] };

const CONTROLS = new Set([
  'PlaybackController.Pause',
  'PlaybackController.Resume',
  'PlaybackController.Stop',
]);
const isPlayback = (key: string) => key === 'AudioPlayer.Play' || CONTROLS.has(key);

/**
 * @internal Who may veto a mutation of the builder: the `Context` owning it, once the answer was sent
 * (`Context.seal()`) or the budget ran out. `blocked` returns true to drop the call (and warns once).
 */
export interface MutationGuard {
  blocked(method: string): boolean;
}

/**
 * Builds one Custom extension response. Every method checks its input against the protocol and
 * throws a `ResponseError` naming the mistake, so an invalid response never leaves the handler.
 */
export class ResponseBuilder {
  private speech: SpeechState = { kind: 'none' };
  private repromptSpeech: SpeechInfo[] | undefined;
  private end: boolean | undefined;
  private readonly directives: Directive[] = [];
  private cardContent: Card | undefined;

  constructor(
    /** Language of plain strings passed to `say`/`reprompt`. */
    readonly lang: SpeechLanguage,
    private readonly defaults: {
      audioSource?: { name: string; logoUrl?: string };
      dialogRequestId?: string;
    } = {},
    /** @internal The context's seal: once it blocks, every mutation below is dropped. */
    private readonly guard?: MutationGuard,
  ) {}

  /**
   * Speaks text (in the request's language) and audio clips; call again to append. One item becomes a
   * SimpleSpeech, several a SpeechList. `ctx.say(['Rolling!', audio(DICE_MP3), 'You got 4.'])`.
   */
  say(input: SpeechInput): this {
    if (this.guard?.blocked('response.say')) return this;
    if (this.speech.kind === 'set')
      throw new ResponseError(
        'SPEECH_SET_MIXED',
        'say() after speechSet(): a response has one kind of speech.',
      );
    const values = checkSpeech(toSpeechInfos(input, this.lang), 'say');
    if (this.speech.kind === 'none') this.speech = { kind: 'list', values };
    else this.speech.values.push(...values);
    return this;
  }

  /** Says `input` and keeps the microphone open; `reprompt` is spoken if the user stays silent. */
  ask(input: SpeechInput, reprompt?: SpeechInput): this {
    if (this.guard?.blocked('response.ask')) return this;
    this.say(input);
    if (reprompt !== undefined) this.reprompt(reprompt);
    return this.keepSession();
  }

  /** A short and a detailed version; screenless devices pick one (SpeechSet, §4.3). */
  speechSet(brief: SpeechInput, verbose: SpeechInput): this {
    if (this.guard?.blocked('response.speechSet')) return this;
    if (this.speech.kind !== 'none')
      throw new ResponseError(
        'SPEECH_SET_MIXED',
        'speechSet() after say(): a response has one kind of speech.',
      );
    const briefValues = checkSpeech(toSpeechInfos(brief, this.lang), 'speechSet brief');
    if (briefValues.length !== 1)
      throw new ResponseError('SPEECH_SET_MIXED', 'The brief speech of a SpeechSet is exactly one item.');
    this.speech = {
      kind: 'set',
      brief: briefValues[0]!,
      verbose: checkSpeech(toSpeechInfos(verbose, this.lang), 'speechSet verbose'),
    };
    return this;
  }

  /** Speech for when the user says nothing; keeps the session open (it only works then, §4.2). */
  reprompt(input: SpeechInput): this {
    if (this.guard?.blocked('response.reprompt')) return this;
    if (this.end === true)
      throw new ResponseError(
        'REPROMPT_ENDS_SESSION',
        'reprompt() on a response that ends the session is never heard.',
      );
    this.repromptSpeech = checkSpeech(toSpeechInfos(input, this.lang), 'reprompt');
    this.end = false;
    return this;
  }

  keepSession(): this {
    if (this.guard?.blocked('response.keepSession')) return this;
    this.end = false;
    return this;
  }

  endSession(): this {
    if (this.guard?.blocked('response.endSession')) return this;
    if (this.repromptSpeech)
      throw new ResponseError(
        'REPROMPT_ENDS_SESSION',
        'endSession() after reprompt(): the reprompt would never be heard.',
      );
    this.end = true;
    return this;
  }

  /** `AudioPlayer.Play`: plays (or enqueues) an audio stream with progress reports. */
  play(options: PlayOptions): this {
    if (this.guard?.blocked('response.play')) return this;
    const source = options.source ?? this.defaults.audioSource;
    if (!source)
      throw new ResponseError(
        'INVALID_AUDIO_ITEM',
        'play() needs a `source` (or the extension option `audioSource`).',
      );
    const audioItemId = options.audioItemId ?? crypto.randomUUID();
    const { token, urlPlayable, beginAtInMilliseconds, ...stream } = options.stream;
    const playable = urlPlayable ?? true;
    if (playable) checkHttps(stream.url, 'play() stream.url');
    const audioItem: AudioItem = {
      audioItemId,
      titleText: options.titleText,
      titleSubText1: options.titleSubText1,
      ...(options.titleSubText2 !== undefined ? { titleSubText2: options.titleSubText2 } : {}),
      ...(options.headerText !== undefined ? { headerText: options.headerText } : {}),
      ...(options.artImageUrl !== undefined ? { artImageUrl: options.artImageUrl } : {}),
      stream: {
        ...stream,
        token: token ?? audioItemId,
        urlPlayable: playable,
        beginAtInMilliseconds: beginAtInMilliseconds ?? 0,
      },
    };
    return this.addDirective('AudioPlayer', 'Play', {
      audioItem,
      playBehavior: options.playBehavior ?? 'REPLACE_ALL',
      source,
    });
  }

  /** `AudioPlayer.StreamDeliver`: the answer to `AudioPlayer.StreamRequested`. */
  streamDeliver(options: StreamDeliverOptions): this {
    if (this.guard?.blocked('response.streamDeliver')) return this;
    checkHttps(options.audioStream.url, 'streamDeliver() audioStream.url');
    return this.addDirective('AudioPlayer', 'StreamDeliver', {
      audioItemId: options.audioItemId,
      audioStream: options.audioStream,
    });
  }

  pause(): this {
    if (this.guard?.blocked('response.pause')) return this;
    return this.addDirective('PlaybackController', 'Pause', {});
  }
  resume(): this {
    if (this.guard?.blocked('response.resume')) return this;
    return this.addDirective('PlaybackController', 'Resume', {});
  }
  stop(): this {
    if (this.guard?.blocked('response.stop')) return this;
    return this.addDirective('PlaybackController', 'Stop', {});
  }

  /** `TemplateRuntime.RenderPlayerInfo` (KR only): playlist data for a screen. */
  renderPlayerInfo(payload: RenderPlayerInfoDirective['payload']): this {
    if (this.guard?.blocked('response.renderPlayerInfo')) return this;
    return this.addDirective('TemplateRuntime', 'RenderPlayerInfo', payload);
  }

  /**
   * Any directive by `"Namespace.Name"`: a documented one (its payload is checked now), or one the
   * spec does not list, which needs LINE's prior agreement (§4.2) and must be declared first in the
   * `CustomDirectives` interface (module augmentation); only then does the call type-check, and the
   * response validator accepts the directive because this method built it. cekit adds the header's
   * `messageId` and `dialogRequestId`.
   *
   * @example
   * ctx.directive('Partner.ShowCoupon', { couponId: 'C-1' });
   */
  directive<K extends DirectiveKey>(name: K, payload: DirectivePayload<K>): this {
    if (this.guard?.blocked('response.directive')) return this;
    const dot = typeof name === 'string' ? name.indexOf('.') : -1;
    if (dot <= 0 || dot === name.length - 1)
      throw new ResponseError(
        'INVALID_DIRECTIVE',
        `directive(): names look like "Namespace.Name", got ${JSON.stringify(name) ?? 'undefined'}.`,
      );
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
      throw new ResponseError('INVALID_DIRECTIVE', `directive(${name}): the payload must be an object.`);
    if (isDocumentedDirective(name)) {
      const issues = directivePayloadIssues(name, payload);
      if (issues.length > 0)
        throw new ResponseError('INVALID_DIRECTIVE', `directive(${name}): ${formatIssue(issues[0]!)}`);
    }
    this.addDirective(name.slice(0, dot), name.slice(dot + 1), payload);
    if (!isDocumentedDirective(name)) markRegisteredDirective(this.directives[this.directives.length - 1]!);
    return this;
  }

  /**
   * `response.card` (spec §4.2). KR: a content template shown on screen devices (its schemas are in
   * the KR CIC content-template docs); `{}` shows the speech text. **JP: cards are not supported for
   * Custom extensions** (2020-04 and later), leave it unset there. Replaces any card set before.
   */
  card(content: Card): this {
    if (this.guard?.blocked('response.card')) return this;
    if (content === null || typeof content !== 'object' || Array.isArray(content))
      throw new ResponseError('INVALID_CARD', 'card(): the card is an object (a content template, or {}).');
    this.cardContent = content;
    return this;
  }

  private addDirective(namespace: string, name: string, payload: object): this {
    const key = `${namespace}.${name}`;
    for (const existing of this.directives) {
      const other = `${existing.header.namespace}.${existing.header.name}`;
      // Two Plays may queue up; a pause/resume/stop contradicts any other playback instruction.
      if (isPlayback(key) && isPlayback(other) && (CONTROLS.has(key) || CONTROLS.has(other)))
        throw new ResponseError(
          'CONFLICTING_PLAYBACK',
          `${key} together with ${other}: the client cannot do both.`,
        );
    }
    const header = {
      namespace,
      name,
      messageId: crypto.randomUUID(),
      ...(this.defaults.dialogRequestId ? { dialogRequestId: this.defaults.dialogRequestId } : {}),
    };
    this.directives.push({ header, payload } as Directive);
    return this;
  }

  /** Whether anything was said or directed yet (middleware can tell if a handler answered). */
  get isEmpty(): boolean {
    return (
      this.speech.kind === 'none' &&
      this.directives.length === 0 &&
      !this.repromptSpeech &&
      this.cardContent === undefined
    );
  }

  /** Whether `endSession()`, `keepSession()`, `ask()` or `reprompt()` chose the session's fate explicitly. */
  get hasSessionChoice(): boolean {
    return this.end !== undefined;
  }

  /** Whether the built response will end the session: explicit choice, else open only with a reprompt. */
  get endsSession(): boolean {
    return this.end ?? this.repromptSpeech === undefined;
  }

  build(version: string, sessionAttributes: Record<string, unknown>): CustomResponse {
    return {
      version,
      sessionAttributes: this.endsSession ? {} : sessionAttributes,
      response: {
        outputSpeech: toOutputSpeech(this.speech),
        ...(this.repromptSpeech ? { reprompt: { outputSpeech: listSpeech(this.repromptSpeech) } } : {}),
        card: this.cardContent ?? {},
        directives: this.directives,
        shouldEndSession: this.endsSession,
      },
    };
  }
}

function listSpeech(values: SpeechInfo[]): Exclude<Speech, { type: 'SpeechSet' }> {
  return values.length === 1 ? { type: 'SimpleSpeech', values: values[0]! } : { type: 'SpeechList', values };
}

function toOutputSpeech(speech: SpeechState): OutputSpeech {
  if (speech.kind === 'none') return {};
  if (speech.kind === 'list') return listSpeech(speech.values);
  return { type: 'SpeechSet', brief: speech.brief, verbose: listSpeech(speech.verbose) };
}

function checkSpeech(values: SpeechInfo[], where: string): SpeechInfo[] {
  if (values.length === 0) throw new ResponseError('EMPTY_SPEECH', `${where}: nothing to say.`);
  for (const value of values) {
    if (value.type === 'URL') checkHttps(value.value, `${where} audio`);
  }
  return values;
}

/** CLOVA plays audio from HTTPS URLs only (spec custom-extension.md §4.4). */
function checkHttps(url: string, where: string): void {
  if (!url.startsWith('https://'))
    throw new ResponseError(
      'INSECURE_AUDIO_URL',
      `${where}: CLOVA plays audio over HTTPS only, got ${JSON.stringify(url.slice(0, 80))}.`,
    );
}
