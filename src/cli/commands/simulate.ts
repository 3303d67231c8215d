import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ConsoleSession } from '../../console/session.js';
import { startConsole } from '../../console/server.js';
import { createConversation, loadInteractionModel } from '../../testing/index.js';
import { readKey } from '../keys.js';
import { parsePort, readFlagged, styleFor, UsageError, type CliIo } from '../io.js';
import { openBrowser } from '../open-browser.js';
import { SimulatorSession } from '../simulator-session.js';

export const simulateHelp = `Usage: cekit simulate <url> [--key <file>] [--model <path>] [--access-token <token>] [--script <file> | --web] [options]

Talks to a running extension like CEK: signs each request, keeps the session (id, new, attributes).
Type a sentence (resolved with --model) or a command:
  /launch                          open the extension (LaunchRequest, new session)
  /intent <Name> [slot=value ...]  send an IntentRequest
  /event <Namespace.Name> [k=v ...]  send an EventRequest (documented events get realistic payloads)
  /end                             end the session (SessionEndedRequest)
  /home discover                   Clova Home DiscoverAppliancesRequest
  /home <Action> <applianceId> [k=v ...]  Clova Home request, e.g. /home TurnOn light-1
  /home scenes, /home ActionScene <sceneId>  Clova Home scenes (JP)
  /token <access token>            the account-linking token Clova Home requests carry (/token alone shows it)
  /session                         show the session id and attributes
  /help, /quit
Quote a value with spaces as in a shell: name="two words" or 'name=two words' (\\" is a quote inside "...").
A quoted value is sent as text (count="3"); unquoted numbers and true/false are typed (in /event and /home).
Options:
  --key <file>           private key the extension trusts (default: send unsigned)
  --model <path>         interaction model: a JSON file or a folder of console TSV files
  --access-token <token> account-linking token sent in Clova Home requests (default: a placeholder)
  --script <file>        run the lines of a file instead of reading the keyboard (exit 1 on any problem);
                         a line "< text" checks that the last reply contains text
  --web                  talk to it in the browser instead: a console on 127.0.0.1 that runs the same
                         commands, shows each request and reply, and exports the dialogue as a --script
  --port <n>             with --web: the console's port (default 0, a free one)
  --no-open              with --web: print the console's URL without opening a browser
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
      'access-token': { type: 'string' },
      script: { type: 'string' },
      'extension-id': { type: 'string' },
      locale: { type: 'string' },
      user: { type: 'string' },
      web: { type: 'boolean' },
      port: { type: 'string' },
      'no-open': { type: 'boolean' },
    },
  });
  const url = positionals[0];
  if (!url || positionals.length > 1) throw new UsageError('Give the URL of the extension');
  if (!/^https?:\/\//.test(url)) throw new UsageError(`Expected an http(s) URL, got ${url}`);
  if (values.web && values.script)
    throw new UsageError('--web opens the console in the browser, --script runs a file: choose one');
  if (!values.web && (values.port !== undefined || values['no-open']))
    throw new UsageError(
      `${values.port !== undefined ? '--port' : '--no-open'} is for the console: add --web`,
    );
  const consolePort = parsePort('--port', values.port ?? '0');
  const keys = values.key ? await readKey(values.key, io.cwd) : undefined;
  const model = values.model
    ? await readFlagged('--model', values.model, io.cwd, loadInteractionModel, {
        missing: 'no such file or folder',
        others: 'throw',
      })
    : undefined;
  const token = values['access-token'];
  // The same conversation settings whether the terminal or the browser console talks to the extension.
  const talk = {
    target: url,
    ...(keys ? { keys } : {}),
    ...(model ? { model } : {}),
    ...(token !== undefined ? { homeAccessToken: token } : {}),
    ...(values['extension-id'] ? { extensionId: values['extension-id'] } : {}),
    ...(values.locale ? { locale: values.locale } : {}),
    ...(values.user ? { userId: values.user } : {}),
  };
  if (values.web)
    return runConsole(
      new ConsoleSession(talk),
      { port: consolePort, open: !values['no-open'], target: url, signed: keys !== undefined },
      io,
    );
  const cek = createConversation({ ...talk, strict: false });
  const session = new SimulatorSession(cek, io, styleFor(io.stdout, io.env), {
    help: simulateHelp,
    ...(model ? { model } : {}),
  });

  if (values.script) {
    const script = await readFlagged('--script', values.script, io.cwd, (file) => readFile(file, 'utf8'));
    const lines = script.split(/\r?\n/);
    let ok = true;
    for (const line of lines) {
      const text = line.trim();
      if (!text || text.startsWith('#')) continue;
      if (text.startsWith('<')) {
        ok = expectLast(session, text.slice(1).trim(), io) && ok;
        continue;
      }
      io.stdout.write(session.style.bold(`> ${text}\n`));
      const result = await session.run(text);
      if (result === 'quit') break;
      ok &&= result === 'ok';
    }
    return ok ? 0 : 1;
  }

  io.stdout.write(
    `Talking to ${url}${keys ? ' (signed)' : ' (unsigned: pass --key if the extension verifies signatures)'}.\n` +
      `Type /launch to start${token !== undefined ? ' (or /home discover for Clova Home)' : ''}, /help for commands${model ? ', or a sentence' : ''}.\n`,
  );
  // On a terminal: a prompt with line editing. Piped input: each line is echoed, like --script.
  const interactive = io.stdin.isTTY === true;
  const rl = createInterface({
    input: io.stdin,
    ...(interactive ? { output: io.stdout as NodeJS.WritableStream } : {}),
    terminal: interactive,
  });
  io.signal?.addEventListener('abort', () => rl.close(), { once: true });
  rl.on('SIGINT', () => rl.close()); // Ctrl+C on the prompt ends the session.
  rl.setPrompt('> ');
  if (interactive) rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (!interactive && text) io.stdout.write(session.style.bold(`> ${text}\n`));
    if (text && (await session.run(text)) === 'quit') break;
    if (interactive) rl.prompt();
  }
  rl.close();
  return 0;
}

/** `simulate --web`: the console until Ctrl+C (io.signal). */
async function runConsole(
  session: ConsoleSession,
  options: { port: number; open: boolean; target: string; signed: boolean },
  io: CliIo,
): Promise<number> {
  const style = styleFor(io.stdout, io.env);
  const running = await startConsole({
    session,
    port: options.port,
    log: (message) => io.stderr.write(`${message}\n`),
  });
  io.stdout.write(
    `${style.green('console ready')} on ${style.bold(running.url)}\n` +
      `talking to ${options.target}${options.signed ? ' (signed)' : ' (unsigned: pass --key if the extension verifies signatures)'}\n` +
      style.dim('Ctrl+C stops.\n'),
  );
  if (options.open) openBrowser(running.url, io);
  await new Promise<void>((done) => {
    if (io.signal?.aborted) return done();
    io.signal?.addEventListener('abort', () => done(), { once: true });
  });
  await running.close();
  return 0;
}

/**
 * A script line `< text` checks that the last reply contains `text`: the speech of a Custom reply, the
 * message name and payload of a Clova Home reply. Turns a dialogue file into a test for CI.
 */
function expectLast(session: SimulatorSession, expected: string, io: CliIo): boolean {
  const last = session.cek.history.at(-1);
  const actual = !last
    ? '(nothing was sent yet)'
    : last.kind === 'custom'
      ? last.reply.speech
      : `${last.reply.name} ${JSON.stringify(last.reply.payload)}`;
  const passed = last !== undefined && actual.includes(expected);
  io.stdout.write(
    passed
      ? session.style.green(`  ✓ says "${expected}"\n`)
      : session.style.red(`  ✗ expected "${expected}", got "${actual}"\n`),
  );
  return passed;
}
