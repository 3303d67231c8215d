#!/usr/bin/env node
/**
 * The `cekit` command: init, simulate, check, dev, types, model check, keygen, sign. `main(argv, io)` runs one command and
 * resolves to its exit code, so tests run the CLI in-process; the binary calls it with the process.
 * @module
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { check, checkHelp } from './commands/check.js';
import { dev, devHelp } from './commands/dev.js';
import { serveModule } from './commands/dev-worker.js';
import { init, initHelp } from './commands/init.js';
import { keygen, keygenHelp } from './commands/keygen.js';
import { model, modelHelp } from './commands/model.js';
import { sign, signHelp } from './commands/sign.js';
import { simulate, simulateHelp } from './commands/simulate.js';
import { types, typesHelp } from './commands/types.js';
import { processIo, styleFor, UsageError, type CliIo } from './io.js';
import { ownPackage } from './own-package.js';

export type { CliIo } from './io.js';

const SELF = fileURLToPath(import.meta.url);

const usage = `Usage: cekit <command> [options]

Commands:
  init [dir]        create a ready project: an extension, its test, a production server
  simulate <url>    talk to a running extension like CEK (interactive, --script, or --web in the browser)
  check <url>       audit an extension: hostile requests, and valid ones with --key/--replay
  dev <module>      serve an extension module locally, trusting a development key, reloading on change,
                    with a console to talk to it in the browser
  model check <model>
                    lint an interaction model: every problem by intent, and its handlers with --extension
  types <model>     write the module that types intents and slots by the interaction model
  keygen            create a key pair that stands in for CEK's
  sign [file]       print the SignatureCEK of a body (or a curl command)

Run cekit <command> --help for the options of a command.
`;

type Command = { help: string; run: (args: string[], io: CliIo) => Promise<number> };

const commands: Record<string, Command> = {
  init: { help: initHelp, run: init },
  simulate: { help: simulateHelp, run: simulate },
  check: { help: checkHelp, run: check },
  dev: { help: devHelp, run: (args, io) => dev(args, io, SELF) },
  model: { help: modelHelp, run: model },
  types: { help: typesHelp, run: types },
  keygen: { help: keygenHelp, run: keygen },
  sign: { help: signHelp, run: sign },
};

/** Runs `cekit <argv...>` and resolves to the exit code (0 ok, 1 failed checks/problems, 2 usage). */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...args] = argv;
  if (name === '__serve') return serveModule(args);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${await version()}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`Unknown command "${name}".\n\n${usage}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(command.help);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    const style = styleFor(io.stderr, io.env);
    // parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown or malformed options.
    const parseError = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (error instanceof UsageError || parseError) {
      io.stderr.write(`${style.red((error as Error).message)}\n\n${command.help}`);
      return 2;
    }
    io.stderr.write(
      `${style.red(`cekit ${name}: ${error instanceof Error ? error.message : String(error)}`)}\n`,
    );
    return 1;
  }
}

async function version(): Promise<string> {
  try {
    return (await ownPackage()).version;
  } catch {
    return 'unknown';
  }
}

function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(SELF);
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  const controller = new AbortController();
  // Long-running commands (dev, simulate) stop cleanly on Ctrl+C.
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  const args = process.argv.slice(2);
  main(args, processIo(controller.signal)).then(
    (code) => {
      process.exitCode = code;
      // The worker of `cekit dev` keeps running until its parent stops it.
      if (args[0] !== '__serve') process.exit(code);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
