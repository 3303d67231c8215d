import { closestName } from '../core/did-you-mean.js';
import {
  defaultHomeFields,
  HOME_ACTIONS,
  NotForwardedError,
  type Conversation,
  type HomeReply,
  type InteractionModel,
  type Reply,
  type Resolution,
} from '../testing/index.js';
import { UsageError } from './io.js';
import { parsePairs, scanWords, type Word } from './words.js';

/**
 * The simulator's command language, run against a `Conversation`: one line in, one outcome out, and
 * nothing printed. The terminal REPL (simulator-session.ts) and the browser console
 * (src/console/session.ts) both run lines through here, so a line means the same thing in both.
 */

/** What one line did: the turn it sent, a text to show (/token, /session, /help), or the end of the session. */
export type LineOutcome =
  | { kind: 'custom'; reply: Reply; resolution?: Resolution }
  | { kind: 'home'; reply: HomeReply }
  | { kind: 'info'; text: string; quiet?: boolean }
  | { kind: 'quit' };

/** What to do about cekit's own refusals (core/errors.ts codes), when the simulator is the likely cause. */
const REFUSAL_HINTS: Readonly<Record<string, string>> = {
  SIGNATURE_MISSING: 'the extension verifies signatures: pass --key with the private key it trusts',
  SIGNATURE_INVALID: 'the extension does not trust this --key (cekit dev prints the key it trusts)',
  APPLICATION_ID_MISMATCH: 'pass --extension-id with the Extension ID the extension was configured with',
  INVALID_MESSAGE:
    'the request does not fit the message schema: check the key=value fields you gave (the error names the field)',
  UNSUPPORTED_MESSAGE:
    '/home commands need a Clova Home extension; /launch, /intent, /event and /end a Custom one',
};

export const COMMANDS = [
  '/launch',
  '/intent',
  '/event',
  '/end',
  '/home',
  '/token',
  '/session',
  '/help',
  '/quit',
  '/exit',
] as const;

/** Node's codes for "nobody is listening there" (or the name does not resolve). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'EAI_AGAIN']);

const HOME_ACTION_NAMES = HOME_ACTIONS.map((action) => action.name);

/** A cekit refusal read from its JSON error body (`{ error: { code, message } }`). */
export interface Refusal {
  /** The stable code, e.g. `SIGNATURE_INVALID`. */
  code: string;
  message: string;
  /** What to do about it, when the simulator is the likely cause. */
  hint?: string;
}

/** The refusal a reply body carries, with its hint; undefined when the body is not a cekit error. */
export function refusalOf(body: unknown): Refusal | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = body.error;
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  if (typeof error.code !== 'string' || error.code === '') return undefined;
  const message = 'message' in error && typeof error.message === 'string' ? error.message : '';
  const hint = REFUSAL_HINTS[error.code];
  return { code: error.code, message, ...(hint ? { hint } : {}) };
}

/** An error as one line: its message, and its cause's (fetch hides ECONNREFUSED in `cause`). */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

/** What to do about an error a line threw, when there is something to do; `where` is the transport's description. */
export function hintFor(error: unknown, where: string): string | undefined {
  if (error instanceof NotForwardedError)
    return "/home discover lists the appliances and the actions each declares; run it again after changing the extension's devices";
  const code = codeOf(error instanceof Error && error.cause !== undefined ? error.cause : error);
  if (code !== undefined && UNREACHABLE.has(code))
    return `nothing answers at ${where}: is the extension running? (cekit dev <module> serves one)`;
  // The HTTP transport gives up after 10 s, past CEK's 8 s deadline: CEK would have given up too.
  if (error instanceof Error && error.name === 'TimeoutError')
    return 'the extension did not answer within 10 s; CEK gives up after 8 s, so the user would hear an error';
  return undefined;
}

function codeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('code' in value)) return undefined;
  return typeof value.code === 'string' ? value.code : undefined;
}

/**
 * `brightness=50` on the command line means the value object `{ value: 50 }` when that is the field's
 * shape (spec clova-home-extension.md §6.3); other values are sent as typed.
 */
function homeFields(action: string, pairs: Record<string, unknown>): Record<string, unknown> {
  const defaults = defaultHomeFields(action);
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(pairs)) {
    const sample = defaults[name];
    const wraps =
      typeof sample === 'object' && sample !== null && 'value' in sample && typeof value !== 'object';
    fields[name] = wraps ? { value } : value;
  }
  return fields;
}

export interface CommandOptions {
  /** Shown by `/help`. */
  help: string;
  /** The model from `--model`: typed sentences need one, and `/intent` is checked against it. */
  model?: InteractionModel;
}

/** Runs simulator lines against one conversation; throws `UsageError` (and the harness's errors) as they come. */
export class SimulatorCommands {
  constructor(
    readonly cek: Conversation,
    private readonly options: CommandOptions,
  ) {}

  async run(line: string): Promise<LineOutcome> {
    if (!line.startsWith('/')) {
      if (!this.options.model)
        throw new UsageError(
          'Typed sentences are resolved with an interaction model: restart with --model <file or folder>, or use /intent <Name> slot=value',
        );
      const reply = await this.cek.say(line);
      return { kind: 'custom', reply, resolution: reply.resolution };
    }
    const [first, ...rest] = scanWords(line);
    const command = first?.text ?? line;
    const words = rest.map((word) => word.text);
    switch (command) {
      case '/launch':
        return { kind: 'custom', reply: await this.cek.launch() };
      case '/intent': {
        const [name] = words;
        if (!name) throw new UsageError('Usage: /intent <Name> [slot=value ...]');
        const slots = parsePairs(rest.slice(1), false) as Record<string, string>;
        this.checkIntent(name, Object.keys(slots));
        return { kind: 'custom', reply: await this.cek.intent(name, slots) };
      }
      case '/event': {
        const [name] = words;
        if (!name || !/^[^.]+\.[^.]+$/.test(name))
          throw new UsageError('Usage: /event <Namespace.Name> [key=value ...]');
        const payload = parsePairs(rest.slice(1), true);
        return { kind: 'custom', reply: await this.cek.event(name as `${string}.${string}`, payload) };
      }
      case '/end':
        return { kind: 'custom', reply: await this.cek.end() };
      case '/home':
        return { kind: 'home', reply: await this.home(words, rest) };
      case '/token':
        return this.token(words);
      case '/session':
        return {
          kind: 'info',
          text: this.cek.sessionOpen
            ? `session ${this.cek.sessionId}\nattributes ${JSON.stringify(this.cek.sessionAttributes)}\n`
            : 'no session open\n',
        };
      case '/help':
        return { kind: 'info', text: this.options.help };
      case '/quit':
      case '/exit':
        return { kind: 'quit' };
      default: {
        const near = closestName(command, COMMANDS);
        throw new UsageError(
          `Unknown command ${command}${near ? ` (did you mean ${near}?)` : ''}; /help lists the commands`,
        );
      }
    }
  }

  /**
   * With a model, CEK only ever sends its intents and slots: say so in REPL terms before sending
   * (the harness would refuse too, in the words of its own API).
   */
  private checkIntent(name: string, slots: string[]): void {
    const { model } = this.options;
    if (!model || name.startsWith('Clova.')) return;
    const intent = model.intents.find((candidate) => candidate.name === name);
    if (!intent) {
      const near = closestName(
        name,
        model.intents.map((candidate) => candidate.name),
      );
      throw new UsageError(
        `/intent ${name}: the --model has no such intent, so CEK never sends it${near ? ` (did you mean ${near}?)` : ''}`,
      );
    }
    const known = Object.keys(intent.slots);
    for (const slot of slots) {
      if (known.includes(slot)) continue;
      const near = closestName(slot, known);
      throw new UsageError(
        `/intent ${name}: the --model gives it no slot "${slot}"` +
          (near ? ` (did you mean ${near}?)` : known.length ? ` (its slots: ${known.join(', ')})` : ''),
      );
    }
  }

  private async home(words: string[], rest: Word[]): Promise<HomeReply> {
    const [action, target] = words;
    const usage =
      'Usage: /home discover | /home scenes | /home <Action> <applianceId> [key=value ...] | /home ActionScene <sceneId> [sceneName=...]';
    if (!action) throw new UsageError(usage);
    const keyword = action.toLowerCase();
    if (keyword === 'discover' || keyword === 'discoverappliances') return this.cek.discover();
    if (keyword === 'scenes' || keyword === 'discoverscenes') return this.cek.discoverScenes();
    const name = action.replace(/Request$/, '');
    if (!HOME_ACTION_NAMES.includes(name)) {
      const near = closestName(name, HOME_ACTION_NAMES);
      throw new UsageError(
        `Unknown Clova Home action ${action}${near ? ` (did you mean ${near}?)` : ''}; /help lists the /home commands`,
      );
    }
    if (!target)
      throw new UsageError(
        name === 'ActionScene'
          ? 'Usage: /home ActionScene <sceneId> [sceneName=...] (/home scenes lists the scenes)'
          : `Usage: /home ${name} <applianceId> [key=value ...] (/home discover lists the appliances)`,
      );
    const pairs = parsePairs(rest.slice(2), true);
    if (name === 'ActionScene') {
      const sceneName =
        typeof pairs.sceneName === 'string' ? pairs.sceneName : (this.discoveredSceneName(target) ?? target);
      return this.cek.actionScene({ sceneId: target, sceneName });
    }
    return this.cek.control(name, target, homeFields(name, pairs));
  }

  /** The name the last `/home scenes` gave a scene, so `/home ActionScene <id>` sends it like CLOVA. */
  private discoveredSceneName(sceneId: string): string | undefined {
    for (const turn of [...this.cek.history].reverse()) {
      if (turn.kind !== 'home' || turn.reply.name !== 'DiscoverScenesResponse') continue;
      const scenes = turn.reply.payload.discoveredScenes;
      const found = Array.isArray(scenes)
        ? (scenes as { sceneId?: unknown; sceneName?: unknown }[]).find((scene) => scene?.sceneId === sceneId)
        : undefined;
      return typeof found?.sceneName === 'string' ? found.sceneName : undefined;
    }
    return undefined;
  }

  private token(words: string[]): LineOutcome {
    if (words.length > 1)
      throw new UsageError('Usage: /token <access token> (quote a token that has spaces: /token "a b")');
    const [token] = words;
    if (token === undefined)
      return {
        kind: 'info',
        text:
          this.cek.homeAccessToken === undefined
            ? 'No access token given: Clova Home requests carry a placeholder. Set one with /token <access token>.\n'
            : `Clova Home requests carry the access token "${this.cek.homeAccessToken}".\n`,
      };
    this.cek.homeAccessToken = token;
    return {
      kind: 'info',
      text: 'Access token set: the next Clova Home requests carry it (/home discover to start).\n',
      quiet: true,
    };
  }
}
