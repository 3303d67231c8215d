import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
  createConversation,
  formatProblem,
  loadInteractionModel,
  type Conversation,
  type HomeReply,
  type Reply,
  type Resolution,
} from '../../testing/index.js';
import { readKey } from '../keys.js';
import { styleFor, UsageError, type CliIo, type Style } from '../io.js';
import { parsePairs, splitWords } from '../words.js';

export const simulateHelp = `Usage: cekit simulate <url> [--key <file>] [--model <path>] [--script <file>] [options]

Talks to a running extension like CEK: signs each request, keeps the session (id, new, attributes).
Type a sentence (resolved with --model) or a command:
  /launch                          open the extension (LaunchRequest, new session)
  /intent <Name> [slot=value ...]  send an IntentRequest
  /event <Namespace.Name> [k=v ...]  send an EventRequest (documented events get realistic payloads)
  /end                             end the session (SessionEndedRequest)
  /home discover                   Clova Home DiscoverAppliancesRequest
  /home <Action> <applianceId> [k=v ...]  Clova Home request, e.g. /home TurnOn light-1
  /session                         show the session id and attributes
  /help, /quit
Options:
  --key <file>           private key the extension trusts (default: send unsigned)
  --model <path>         interaction model: a JSON file or a folder of console TSV files
  --script <file>        run the lines of a file instead of reading the keyboard (exit 1 on any problem)
  --extension-id <id>    applicationId sent (default com.example.extension)
  --locale <locale>      request locale (default ja-JP)
  --user <id>            userId sent
`;

export async function simulate(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      model: { type: 'string' },
      script: { type: 'string' },
      'extension-id': { type: 'string' },
      locale: { type: 'string' },
      user: { type: 'string' },
    },
  });
  const url = positionals[0];
  if (!url || positionals.length > 1) throw new UsageError('Give the URL of the extension');
  if (!/^https?:\/\//.test(url)) throw new UsageError(`Expected an http(s) URL, got ${url}`);
  const keys = values.key ? await readKey(values.key, io.cwd) : undefined;
  const model = values.model ? await loadInteractionModel(resolve(io.cwd, values.model)) : undefined;
  const cek = createConversation({
    target: url,
    strict: false,
    ...(keys ? { keys } : {}),
    ...(model ? { model } : {}),
    ...(values['extension-id'] ? { extensionId: values['extension-id'] } : {}),
    ...(values.locale ? { locale: values.locale } : {}),
    ...(values.user ? { userId: values.user } : {}),
  });
  const session = new SimulatorSession(cek, io, styleFor(io.stdout, io.env));

  if (values.script) {
    const lines = (await readFile(resolve(io.cwd, values.script), 'utf8')).split(/\r?\n/);
    let ok = true;
    for (const line of lines) {
      const text = line.trim();
      if (!text || text.startsWith('#')) continue;
      io.stdout.write(session.style.bold(`> ${text}\n`));
      const result = await session.run(text);
      if (result === 'quit') break;
      ok &&= result === 'ok';
    }
    return ok ? 0 : 1;
  }

  io.stdout.write(
    `Talking to ${url}${keys ? ' (signed)' : ' (unsigned: pass --key if the extension verifies signatures)'}.\n` +
      `Type /launch to start, /help for commands${model ? ', or a sentence' : ''}.\n`,
  );
  const rl = createInterface({
    input: io.stdin,
    output: io.stdout as NodeJS.WritableStream,
    terminal: io.stdin.isTTY === true,
  });
  io.signal?.addEventListener('abort', () => rl.close(), { once: true });
  rl.on('SIGINT', () => rl.close()); // Ctrl+C on the prompt ends the session.
  rl.setPrompt('> ');
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text && (await session.run(text)) === 'quit') break;
    rl.prompt();
  }
  rl.close();
  return 0;
}

/** One simulator session: runs typed lines and prints the dialogue. */
export class SimulatorSession {
  constructor(
    readonly cek: Conversation,
    private readonly io: CliIo,
    readonly style: Style,
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
        return this.printHome(await this.cek.control(action, applianceId, parsePairs(pairs, true)));
      }
      case '/session':
        this.io.stdout.write(
          this.cek.sessionOpen
            ? `session ${this.cek.sessionId}\nattributes ${JSON.stringify(this.cek.sessionAttributes)}\n`
            : 'no session open\n',
        );
        return 'ok';
      case '/help':
        this.io.stdout.write(simulateHelp);
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
        out.push(style.yellow(`    near miss ${miss.intent} "${miss.sample}": ${miss.reason}`));
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
