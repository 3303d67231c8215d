import {
  defaultHomeFields,
  formatProblem,
  type Conversation,
  type HomeReply,
  type Reply,
  type Resolution,
} from '../testing/index.js';
import { UsageError, type CliIo, type Style } from './io.js';
import { parsePairs, splitWords } from './words.js';

/** What to do about cekit's own refusals (core/errors.ts codes), when the simulator is the likely cause. */
const REFUSAL_HINTS: Record<string, string> = {
  SIGNATURE_MISSING: 'the extension verifies signatures: pass --key with the private key it trusts',
  SIGNATURE_INVALID: 'the extension does not trust this --key (cekit dev prints the key it trusts)',
  APPLICATION_ID_MISMATCH: 'pass --extension-id with the Extension ID the extension was configured with',
};

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

/** One simulator session: runs typed lines and prints the dialogue. */
export class SimulatorSession {
  constructor(
    readonly cek: Conversation,
    private readonly io: CliIo,
    readonly style: Style,
    /** Printed by `/help`. */
    private readonly help: string,
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
      this.io.stdout.write(this.style.red(`! ${message}\n`));
      return 'problem';
    }
  }

  private async dispatch(line: string): Promise<'ok' | 'problem' | 'quit'> {
    if (!line.startsWith('/')) {
      const reply = await this.cek.say(line);
      return this.printReply(reply, reply.resolution);
    }
    const [command, ...rest] = splitWords(line);
    switch (command) {
      case '/launch':
        return this.printReply(await this.cek.launch());
      case '/intent': {
        const [name, ...pairs] = rest;
        if (!name) throw new UsageError('Usage: /intent <Name> [slot=value ...]');
        return this.printReply(
          await this.cek.intent(name, parsePairs(pairs, false) as Record<string, string>),
        );
      }
      case '/event': {
        const [name, ...pairs] = rest;
        if (!name || !/^[^.]+\.[^.]+$/.test(name))
          throw new UsageError('Usage: /event <Namespace.Name> [key=value ...]');
        return this.printReply(await this.cek.event(name as `${string}.${string}`, parsePairs(pairs, true)));
      }
      case '/end':
        return this.printReply(await this.cek.end());
      case '/home': {
        const [action, applianceId, ...pairs] = rest;
        if (!action)
          throw new UsageError('Usage: /home discover | /home <Action> <applianceId> [key=value ...]');
        if (action.toLowerCase() === 'discover') return this.printHome(await this.cek.discover());
        if (!applianceId) throw new UsageError(`Usage: /home ${action} <applianceId> [key=value ...]`);
        return this.printHome(
          await this.cek.control(action, applianceId, homeFields(action, parsePairs(pairs, true))),
        );
      }
      case '/session':
        this.io.stdout.write(
          this.cek.sessionOpen
            ? `session ${this.cek.sessionId}\nattributes ${JSON.stringify(this.cek.sessionAttributes)}\n`
            : 'no session open\n',
        );
        return 'ok';
      case '/help':
        this.io.stdout.write(this.help);
        return 'ok';
      case '/quit':
      case '/exit':
        return 'quit';
      default:
        throw new UsageError(`Unknown command ${command}; /help lists them`);
    }
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
    out.push(
      reply.status === 200
        ? `${style.cyan('ext:')} ${reply.isError ? style.red(reply.name) : reply.name} ${JSON.stringify(reply.payload)}`
        : style.red(`ext: HTTP ${reply.status} ${reply.rawBody.slice(0, 300)}`),
    );
    out.push(style.dim(`     ${Math.round(reply.ms)} ms`));
    for (const problem of reply.problems) out.push(style.red(`  ✗ ${formatProblem(problem)}`));
    this.io.stdout.write(`${out.join('\n')}\n`);
    return reply.ok ? 'ok' : 'problem';
  }
}
