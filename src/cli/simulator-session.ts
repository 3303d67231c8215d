import {
  formatProblem,
  type Conversation,
  type HomeReply,
  type Reply,
  type Resolution,
} from '../testing/index.js';
import type { CliIo, Style } from './io.js';
import {
  errorMessage,
  hintFor,
  refusalOf,
  SimulatorCommands,
  type CommandOptions,
} from './simulator-commands.js';

export type SessionOptions = CommandOptions;

/** One simulator session in the terminal: runs typed lines (simulator-commands.ts) and prints the dialogue. */
export class SimulatorSession {
  private readonly commands: SimulatorCommands;

  constructor(
    readonly cek: Conversation,
    private readonly io: CliIo,
    readonly style: Style,
    options: SessionOptions,
  ) {
    this.commands = new SimulatorCommands(cek, options);
  }

  /** Runs one typed line; `problem` when the reply (or the line) was not right. */
  async run(line: string): Promise<'ok' | 'problem' | 'quit'> {
    try {
      const outcome = await this.commands.run(line);
      switch (outcome.kind) {
        case 'custom':
          return this.printReply(outcome.reply, outcome.resolution);
        case 'home':
          return this.printHome(outcome.reply);
        case 'info':
          this.io.stdout.write(outcome.quiet ? this.style.dim(outcome.text) : outcome.text);
          return 'ok';
        case 'quit':
          return 'quit';
      }
    } catch (error) {
      const out = [this.style.red(`! ${errorMessage(error)}`)];
      const hint = hintFor(error, this.cek.transport.description);
      if (hint) out.push(this.style.yellow(`  hint: ${hint}`));
      this.io.stdout.write(`${out.join('\n')}\n`);
      return 'problem';
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
      const hint = refusalOf(reply.body)?.hint;
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
      const hint = refusalOf(reply.body)?.hint;
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
