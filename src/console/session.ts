import { UsageError } from '../cli/io.js';
import {
  errorMessage,
  hintFor,
  refusalOf,
  SimulatorCommands,
  type LineOutcome,
} from '../cli/simulator-commands.js';
import { scanWords } from '../cli/words.js';
import {
  CEK_DEADLINE_MS,
  createConversation,
  DEFAULT_EXTENSION_ID,
  defaultEventPayload,
  defaultHomeFields,
  EVENT_NAMES,
  HOME_ACTIONS,
  signedHeaders,
  type CheckedReply,
  type Conversation,
  type ConversationOptions,
  type InteractionModel,
  type Resolution,
} from '../testing/index.js';
import { END_LINE, intentLine } from './command-line.js';
import { appliancesOf, describeHomeReply } from './home-words.js';
import type {
  ConsoleEvent,
  ConsoleExchange,
  ConsoleHomeAction,
  ConsoleIntent,
  ConsoleReply,
  ConsoleResolution,
  ConsoleSession as ConsoleSessionState,
  ConsoleState,
  RunResult,
} from './protocol.js';

/**
 * What `cekit simulate` and `cekit dev` give the conversation (`keys` signs like CEK; the
 * `homeAccessToken` is never shown, logged or exported), plus what only the console needs.
 */
export interface ConsoleSessionOptions extends Pick<
  ConversationOptions,
  'keys' | 'model' | 'extensionId' | 'locale' | 'userId' | 'homeAccessToken'
> {
  /** The extension's URL. */
  target: string;
  /** What the extension is, when known (`cekit dev`); empty: the page offers both. */
  kinds?: ('custom' | 'home')[];
  /** How many exchanges a run keeps (the oldest are dropped). Default 500, so a long run stays small. */
  historyLimit?: number;
}

/** Stands in for the access token wherever a request is shown or exported. */
const HIDDEN_TOKEN = '(the access token, hidden)';

/**
 * Terminal commands that mean nothing in the browser, and what to do instead. `/token` in particular:
 * a token typed into the dialogue would be written into the history and the export.
 */
const TERMINAL_ONLY: Readonly<Record<string, string>> = {
  '/token':
    'The console sets the access token with its token field, so the token never enters the history or the export',
  '/session': 'The console shows the session beside the dialogue; /session is for the terminal',
  '/help': "The console's forms write the commands; cekit simulate --help lists them all",
  '/quit': 'Close the tab to leave; reset starts a new run',
  '/exit': 'Close the tab to leave; reset starts a new run',
};

/**
 * One run of the browser console against one extension: a `Conversation` kept like CEK keeps it, and
 * what each command line did, for the page and the exports. Lines run one at a time, in order, through
 * the same code as `cekit simulate` (src/cli/simulator-commands.ts).
 */
export class ConsoleSession {
  private cek: Conversation;
  private commands: SimulatorCommands;
  private token: string | undefined;
  /** The exchanges of this run, each with the `< text` line that checks its reply in the export. */
  private records: { exchange: ConsoleExchange; check?: string }[] = [];
  private nextId = 1;
  /** The last queued operation: runs, token changes and resets wait for each other. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly limit: number;
  private readonly intents: ConsoleIntent[] | undefined;
  private readonly events: ConsoleEvent[];
  private readonly homeActions: ConsoleHomeAction[];

  constructor(private readonly options: ConsoleSessionOptions) {
    this.token = options.homeAccessToken;
    this.limit = options.historyLimit ?? 500;
    this.intents = options.model && intentsOf(options.model);
    this.events = EVENT_NAMES.map((name) => {
      const payload = defaultEventPayload(name);
      return { name, payload: payload === null ? null : { ...payload } };
    });
    this.homeActions = HOME_ACTIONS.map((action) => ({
      name: action.name,
      category: action.category,
      fields: defaultHomeFields(action.name),
    }));
    ({ cek: this.cek, commands: this.commands } = this.open());
  }

  /** Runs one command line (after any still running) and records what it did. */
  run(line: string): Promise<RunResult> {
    return this.enqueue(() => this.runNow(line));
  }

  /** Sets the access token Clova Home requests carry (null: the placeholder); the history is kept. */
  setToken(token: string | null): Promise<void> {
    return this.enqueue(async () => {
      this.token = token ?? undefined;
      this.cek.homeAccessToken = this.token;
    });
  }

  /** A new run: no history, no session, no discovered appliances; the token is kept. */
  reset(): Promise<void> {
    return this.enqueue(async () => {
      ({ cek: this.cek, commands: this.commands } = this.open());
      this.records = [];
      this.nextId = 1;
    });
  }

  state(): ConsoleState {
    const { options } = this;
    return {
      target: options.target,
      signed: options.keys !== undefined,
      extensionId: options.extensionId ?? DEFAULT_EXTENSION_ID,
      locale: options.locale ?? 'ja-JP',
      kinds: [...(options.kinds ?? [])],
      model: this.intents ? { intents: this.intents } : null,
      events: this.events,
      homeActions: this.homeActions,
      accessTokenSet: this.token !== undefined,
      session: this.sessionNow(),
      exchanges: this.exportJson(),
    };
  }

  exportJson(): ConsoleExchange[] {
    return this.records.map((record) => record.exchange);
  }

  /**
   * The run as a `cekit simulate --script` file: each line as run, and after each reply a `< text`
   * line checking it (the first line of the speech, or the Clova Home reply's name), so the file
   * replays the dialogue as a test. Lines that sent nothing are kept as comments.
   */
  exportScript(): string {
    const { options } = this;
    const flags = [
      `cekit simulate ${options.target} --script <this file>`,
      ...(options.keys ? ['--key <your key file>'] : []),
      ...(options.model ? ['--model <your model>'] : []),
      ...(this.token !== undefined ? ['--access-token <token>'] : []),
      ...(options.extensionId ? [`--extension-id ${options.extensionId}`] : []),
      ...(options.locale ? [`--locale ${options.locale}`] : []),
      ...(options.userId ? [`--user ${options.userId}`] : []),
    ];
    const lines = [
      `# ${flags.join(' ')}`,
      '# Exported by the cekit console: each line as it was run; "< text" checks the reply before it.',
    ];
    for (const { exchange, check } of this.records) {
      if (exchange.outcome === 'error') {
        lines.push(`# not sent: ${exchange.line}`);
        continue;
      }
      lines.push(scriptLine(exchange));
      if (check) lines.push(`< ${check}`);
    }
    return `${lines.join('\n')}\n`;
  }

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private open() {
    const { options } = this;
    const { kinds: _kinds, historyLimit: _limit, homeAccessToken: _token, ...talk } = options;
    const cek = createConversation({
      ...talk,
      strict: false,
      ...(this.token !== undefined ? { homeAccessToken: this.token } : {}),
    });
    const commands = new SimulatorCommands(cek, {
      help: '',
      ...(options.model ? { model: options.model } : {}),
    });
    return { cek, commands };
  }

  /** The session as the next request will carry it. */
  private sessionNow(): ConsoleSessionState {
    const { cek } = this;
    return { open: cek.sessionOpen, id: cek.sessionId ?? null, attributes: cek.sessionAttributes };
  }

  private async runNow(typed: string): Promise<RunResult> {
    // One line is one command: a line break would make the export's lines say something else.
    const line = typed.trim().replace(/\s*[\r\n]+\s*/g, ' ');
    const base = { id: this.nextId++, line: redacted(line), at: new Date().toISOString() };
    const cek = this.cek;
    const openBefore = cek.sessionOpen;
    let record: { exchange: ConsoleExchange; check?: string };
    try {
      if (/[\r\n]/.test(typed.trim()))
        throw new UsageError('One command per line: the line had a line break');
      if (!line) throw new UsageError('Type a sentence or a command (/launch, /intent, /event, /end, /home)');
      const command = line.startsWith('/') ? scanWords(line)[0]?.text : undefined;
      const refusal = command !== undefined ? TERMINAL_ONLY[command] : undefined;
      if (refusal) throw new UsageError(refusal);
      const outcome = await this.commands.run(line);
      record = { exchange: this.exchangeOf(base, outcome, openBefore), ...checkOf(outcome) };
    } catch (error) {
      const hint = hintFor(error, cek.transport.description);
      record = {
        exchange: {
          ...base,
          outcome: 'error',
          error: { message: errorMessage(error), ...(hint ? { hint } : {}) },
        },
      };
    }
    this.records.push(record);
    if (this.records.length > this.limit) this.records.splice(0, this.records.length - this.limit);
    // The conversation's own history only serves `/home ActionScene` (the scene names): keep it as short.
    if (cek.history.length > this.limit) cek.history.splice(0, cek.history.length - this.limit);
    // Taken inside the queue: the session this line left, not one a later line changed.
    return { exchange: record.exchange, session: this.sessionNow() };
  }

  private exchangeOf(
    base: Pick<ConsoleExchange, 'id' | 'line' | 'at'>,
    outcome: LineOutcome,
    openBefore: boolean,
  ): ConsoleExchange {
    if (outcome.kind === 'info' || outcome.kind === 'quit')
      return { ...base, outcome: 'error', error: { message: 'This command does nothing in the console' } };
    const { reply } = outcome;
    const body = JSON.stringify(reply.request);
    const headers = signedHeaders(this.options.keys, body);
    if (outcome.kind === 'custom') {
      const message = outcome.reply.request;
      return {
        ...base,
        outcome: 'reply',
        kind: 'custom',
        request: message,
        requestHeaders: headers,
        reply: replyOf(reply),
        ...(outcome.resolution ? { resolution: resolutionOf(outcome.resolution) } : {}),
        session: {
          before: message.session?.sessionAttributes ?? {},
          after: outcome.reply.sessionAttributes,
          ended: (openBefore || message.session?.new === true) && !this.cek.sessionOpen,
        },
      };
    }
    const home = outcome.reply;
    const request = home.request;
    // The message as signed, but for the token: the console never lets the access token out.
    const shown =
      this.token !== undefined && 'accessToken' in request.payload
        ? { ...request, payload: { ...request.payload, accessToken: HIDDEN_TOKEN } }
        : request;
    return {
      ...base,
      outcome: 'reply',
      kind: 'home',
      request: shown,
      requestHeaders: headers,
      reply: replyOf(home),
      home: {
        name: home.name,
        isError: home.isError,
        summary: describeHomeReply(home.name, home.payload),
        ...(home.name === 'DiscoverAppliancesResponse' ? { appliances: appliancesOf(home.payload) } : {}),
      },
    };
  }
}

/** `/token secret` as `/token (hidden)`: refused in the console, but the line is still recorded. */
function redacted(line: string): string {
  return /^\/token\s/.test(line) ? `/token ${HIDDEN_TOKEN}` : line;
}

function replyOf(reply: CheckedReply<unknown>): ConsoleReply {
  const refusal = reply.status !== 200 ? refusalOf(reply.body) : undefined;
  return {
    status: reply.status,
    headers: { ...reply.headers },
    body: reply.body === undefined ? null : reply.body,
    ...(reply.body === undefined ? { raw: reply.rawBody } : {}),
    ms: reply.ms,
    deadlineMs: CEK_DEADLINE_MS,
    ...(refusal ? { refusal } : {}),
    problems: [...reply.problems],
    ok: reply.ok,
  };
}

function resolutionOf(resolution: Resolution): ConsoleResolution {
  const slots: ConsoleResolution['slots'] = {};
  for (const [name, slot] of Object.entries(resolution.slots))
    slots[name] = {
      name: slot.name,
      ...(slot.value !== null && slot.value !== undefined ? { value: String(slot.value) } : {}),
      ...(slot.unit !== undefined ? { unit: slot.unit } : {}),
    };
  return {
    type: resolution.type,
    intent: resolution.intent,
    slots,
    via: resolution.via,
    ...(resolution.sample !== undefined ? { sample: resolution.sample } : {}),
    nearMisses: resolution.nearMisses.map((miss) => ({ ...miss })),
  };
}

/**
 * The line to replay. The script reader takes a line starting with `#` as a comment and `<` as a
 * check, so such a typed sentence is written as what it resolved to.
 */
function scriptLine(exchange: ConsoleExchange): string {
  const { line, resolution } = exchange;
  if (!/^[#<]/.test(line) || !resolution) return line;
  if (resolution.type === 'SessionEndedRequest') return END_LINE;
  const slots: Record<string, string | undefined> = {};
  for (const [name, slot] of Object.entries(resolution.slots)) slots[name] = slot.value;
  return intentLine(resolution.intent, slots);
}

/** What a `< text` line checks after a reply: the first line of a Custom speech, a Clova Home reply's name. */
function checkOf(outcome: LineOutcome): { check?: string } {
  if ((outcome.kind !== 'custom' && outcome.kind !== 'home') || outcome.reply.status !== 200) return {};
  const check =
    outcome.kind === 'home' ? outcome.reply.name : (outcome.reply.speech.split('\n')[0] ?? '').trim();
  return check ? { check } : {};
}

function intentsOf(model: InteractionModel): ConsoleIntent[] {
  return model.intents.map((intent) => ({
    name: intent.name,
    slots: Object.entries(intent.slots).map(([name, type]) => ({
      name,
      type,
      values: (model.slotTypes[type] ?? []).map((entry) => entry.value),
    })),
    samples: intent.samples.slice(0, 3).map((sample) => sample.source),
  }));
}
