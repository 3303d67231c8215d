import { closestName } from '../core/did-you-mean.js';
import {
  defaultHomeFields,
  formatProblem,
  HOME_ACTIONS,
  NotForwardedError,
  type Conversation,
  type HomeReply,
  type InteractionModel,
  type Reply,
  type Resolution,
} from '../testing/index.js';
import { UsageError, type CliIo, type Style } from './io.js';
import { parsePairs, scanWords, type Word } from './words.js';

/** What to do about cekit's own refusals (core/errors.ts codes), when the simulator is the likely cause. */
const REFUSAL_HINTS: Record<string, string> = {
  SIGNATURE_MISSING: 'the extension verifies signatures: pass --key with the private key it trusts',
  SIGNATURE_INVALID: 'the extension does not trust this --key (cekit dev prints the key it trusts)',
  APPLICATION_ID_MISMATCH: 'pass --extension-id with the Extension ID the extension was configured with',
  INVALID_MESSAGE:
    'the request does not fit the message schema: check the key=value fields you gave (the error names the field)',
  UNSUPPORTED_MESSAGE:
    '/home commands need a Clova Home extension; /launch, /intent, /event and /end a Custom one',
};

const COMMANDS = [
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
];

/** Node's codes for "nobody is listening there" (or the name does not resolve). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'EAI_AGAIN']);

const HOME_ACTION_NAMES = HOME_ACTIONS.map((action) => action.name);

const refusalCode = (body: unknown): string => {
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' ? code : '';
};

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

export interface SessionOptions {
  /** Printed by `/help`. */
  help: string;
  /** The model from `--model`: typed sentences need one, and `/intent` is checked against it. */
  model?: InteractionModel;
}

/** One simulator session: runs typed lines and prints the dialogue. */
export class SimulatorSession {
  constructor(
    readonly cek: Conversation,
    private readonly io: CliIo,
    readonly style: Style,
    private readonly options: SessionOptions,
  ) {}

  /** Runs one typed line; `problem` when the reply (or the line) was not right. */
  async run(line: string): Promise<'ok' | 'problem' | 'quit'> {
    try {
      return await this.dispatch(line);
    } catch (error) {
      const message =
        error instanceof Error
          ? error.cause instanceof Error
            ? `${error.message}: ${error.cause.message}`
            : error.message
          : String(error);
      const out = [this.style.red(`! ${message}`)];
      const hint = this.hintFor(error);
      if (hint) out.push(this.style.yellow(`  hint: ${hint}`));
      this.io.stdout.write(`${out.join('\n')}\n`);
      return 'problem';
    }
  }

  private hintFor(error: unknown): string | undefined {
    if (error instanceof NotForwardedError)
      return "/home discover lists the appliances and the actions each declares; run it again after changing the extension's devices";
    const code = ((error as { cause?: { code?: unknown } }).cause ?? (error as { code?: unknown }))?.code;
    if (typeof code === 'string' && UNREACHABLE.has(code))
      return `nothing answers at ${this.cek.transport.description}: is the extension running? (cekit dev <module> serves one)`;
    // The HTTP transport gives up after 10 s, past CEK's 8 s deadline: CEK would have given up too.
    if ((error as { name?: unknown }).name === 'TimeoutError')
      return 'the extension did not answer within 10 s; CEK gives up after 8 s, so the user would hear an error';
    return undefined;
  }

  private async dispatch(line: string): Promise<'ok' | 'problem' | 'quit'> {
    if (!line.startsWith('/')) {
      if (!this.options.model)
        throw new UsageError(
          'Typed sentences are resolved with an interaction model: restart with --model <file or folder>, or use /intent <Name> slot=value',
        );
      const reply = await this.cek.say(line);
      return this.printReply(reply, reply.resolution);
    }
    const [first, ...rest] = scanWords(line);
    const command = first?.text ?? line;
    const words = rest.map((word) => word.text);
    switch (command) {
      case '/launch':
        return this.printReply(await this.cek.launch());
      case '/intent': {
        const [name] = words;
        if (!name) throw new UsageError('Usage: /intent <Name> [slot=value ...]');
        const slots = parsePairs(rest.slice(1), false) as Record<string, string>;
        this.checkIntent(name, Object.keys(slots));
        return this.printReply(await this.cek.intent(name, slots));
      }
      case '/event': {
        const [name] = words;
        if (!name || !/^[^.]+\.[^.]+$/.test(name))
          throw new UsageError('Usage: /event <Namespace.Name> [key=value ...]');
        return this.printReply(
          await this.cek.event(name as `${string}.${string}`, parsePairs(rest.slice(1), true)),
        );
      }
      case '/end':
        return this.printReply(await this.cek.end());
      case '/home':
        return this.home(words, rest);
      case '/token':
        return this.token(words);
      case '/session':
        this.io.stdout.write(
          this.cek.sessionOpen
            ? `session ${this.cek.sessionId}\nattributes ${JSON.stringify(this.cek.sessionAttributes)}\n`
            : 'no session open\n',
        );
        return 'ok';
      case '/help':
        this.io.stdout.write(this.options.help);
        return 'ok';
      case '/quit':
      case '/exit':
        return 'quit';
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

  private async home(words: string[], rest: Word[]): Promise<'ok' | 'problem'> {
    const [action, target] = words;
    const usage =
      'Usage: /home discover | /home scenes | /home <Action> <applianceId> [key=value ...] | /home ActionScene <sceneId> [sceneName=...]';
    if (!action) throw new UsageError(usage);
    const keyword = action.toLowerCase();
    if (keyword === 'discover' || keyword === 'discoverappliances')
      return this.printHome(await this.cek.discover());
    if (keyword === 'scenes' || keyword === 'discoverscenes')
      return this.printHome(await this.cek.discoverScenes());
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
      return this.printHome(await this.cek.actionScene({ sceneId: target, sceneName }));
    }
    return this.printHome(await this.cek.control(name, target, homeFields(name, pairs)));
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

  private token(words: string[]): 'ok' {
    if (words.length > 1)
      throw new UsageError('Usage: /token <access token> (quote a token that has spaces: /token "a b")');
    const [token] = words;
    if (token === undefined) {
      this.io.stdout.write(
        this.cek.homeAccessToken === undefined
          ? 'No access token given: Clova Home requests carry a placeholder. Set one with /token <access token>.\n'
          : `Clova Home requests carry the access token "${this.cek.homeAccessToken}".\n`,
      );
      return 'ok';
    }
    this.cek.homeAccessToken = token;
    this.io.stdout.write(
      this.style.dim('Access token set: the next Clova Home requests carry it (/home discover to start).\n'),
    );
    return 'ok';
  }

  private printReply(reply: Reply, resolution?: Resolution): 'ok' | 'problem' {
    const { style } = this;
    const out: string[] = [];
    const request = reply.request.request;
    const sent =
      request.type === 'IntentRequest'
        ? `${request.intent.name}${Object.values(request.intent.slots ?? {})
            .map((slot) => ` ${slot.name}=${String(slot.value)}${slot.unit ? `(${slot.unit})` : ''}`)
            .join('')}`
        : request.type === 'EventRequest'
          ? `EventRequest ${request.event.namespace}.${request.event.name}`
          : request.type;
    out.push(style.dim(`  → ${sent}${resolution?.sample ? `  (matched "${resolution.sample}")` : ''}`));
    if (resolution?.via === 'fallback') {
      out.push(style.yellow(`  ? no sample matched; CEK would send ${resolution.intent}`));
      for (const miss of resolution.nearMisses)
        out.push(
          style.yellow(
            `    near miss ${miss.intent} "${miss.sample}": ${miss.reason}${miss.suggestion === undefined ? '' : ` (did you mean "${miss.suggestion}"?)`}`,
          ),
        );
    }
    if (reply.status === 200) {
      out.push(`${style.cyan('ext:')} ${reply.speech || style.dim('(silent)')}`);
      if (reply.reprompt) out.push(style.dim(`     reprompt: ${reply.reprompt}`));
      for (const directive of reply.directives)
        out.push(
          style.magenta(
            `     directive ${directive.header.namespace}.${directive.header.name} ${JSON.stringify(directive.payload)}`,
          ),
        );
      if (Object.keys(reply.sessionAttributes).length > 0)
        out.push(style.dim(`     attributes ${JSON.stringify(reply.sessionAttributes)}`));
      if (reply.shouldEndSession) out.push(style.dim('     [session ended]'));
    } else {
      out.push(style.red(`ext: HTTP ${reply.status} ${reply.rawBody.slice(0, 300)}`));
      const hint = REFUSAL_HINTS[refusalCode(reply.body)];
      if (hint) out.push(style.yellow(`     hint: ${hint}`));
    }
    out.push(style.dim(`     ${Math.round(reply.ms)} ms`));
    for (const problem of reply.problems) out.push(style.red(`  ✗ ${formatProblem(problem)}`));
    this.io.stdout.write(`${out.join('\n')}\n`);
    return reply.ok ? 'ok' : 'problem';
  }

  private printHome(reply: HomeReply): 'ok' | 'problem' {
    const { style } = this;
    const out = [style.dim(`  → ${reply.request.header.name}`)];
    if (reply.status === 200) {
      out.push(
        `${style.cyan('ext:')} ${reply.isError ? style.red(reply.name) : reply.name} ${JSON.stringify(reply.payload)}`,
      );
      if (reply.refusedAccessToken) out.push(style.yellow(`     hint: ${this.tokenHint(reply)}`));
    } else {
      out.push(style.red(`ext: HTTP ${reply.status} ${reply.rawBody.slice(0, 300)}`));
      const hint = REFUSAL_HINTS[refusalCode(reply.body)];
      if (hint) out.push(style.yellow(`     hint: ${hint}`));
    }
    out.push(style.dim(`     ${Math.round(reply.ms)} ms`));
    for (const problem of reply.problems) out.push(style.red(`  ✗ ${formatProblem(problem)}`));
    this.io.stdout.write(`${out.join('\n')}\n`);
    return reply.ok ? 'ok' : 'problem';
  }

  /** The token was refused: say which one was sent, and the two ways to send another. */
  private tokenHint(reply: HomeReply): string {
    const sent = reply.request.payload.accessToken;
    const what =
      reply.name === 'ExpiredAccessTokenError'
        ? 'the extension says the access token has expired'
        : 'the extension did not accept the access token';
    const given =
      this.cek.homeAccessToken === undefined
        ? ` (none was given, so the placeholder ${JSON.stringify(sent)} was sent)`
        : '';
    return `${what}${given}: type /token <token> with one it accepts, or restart with --access-token <token>`;
  }
}
