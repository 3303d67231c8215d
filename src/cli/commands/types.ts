import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { loadInteractionModel, ModelError, type InteractionModel } from '../../testing/index.js';
import { styleFor, UsageError, type CliIo } from '../io.js';
import {
  describeModel,
  generateModelModule,
  moduleFormatOf,
  regenerateCommand,
  type GeneratedFile,
} from '../model-module.js';

export const typesHelp = `Usage: cekit types <model> [--out <file>] [--check]

Writes a module that types an extension by its interaction model (a .json file in cekit's form, or a
folder of the console's TSV files): export const model = defineModel({...}). Given to
createExtension({ model }), it makes app.intent() accept only the model's intents and the built-in
ones, and types ctx.slots by slot type (a custom type is the union of its representative words).
  --out <file>  write the module there, creating its folder: .ts or .mts; .js or .mjs (an ES module,
                with a .d.ts or .d.mts beside it holding the same types); .cjs (with a .d.cts).
                Without --out, the TypeScript module is printed.
  --check       write nothing: exit 1 when the --out file is missing or differs from what the model
                gives (for CI), 0 when it is up to date
Exit code 0 on success, 1 when the model cannot be read or --check finds the file stale, 2 for a usage
mistake (no such model, an unsupported --out extension).
`;

export async function types(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string' }, check: { type: 'boolean' } },
  });
  const modelPath = positionals[0];
  if (!modelPath || positionals.length > 1)
    throw new UsageError('Give one interaction model: a .json file or a folder of TSV files');
  const out = values.out;
  if (values.check && out === undefined)
    throw new UsageError('--check compares the file --out names: add --out <file>');
  if (out !== undefined) {
    const format = moduleFormatOf(out);
    if ('problem' in format) throw new UsageError(`--out ${format.problem}`);
  }

  const style = styleFor(io.stderr, io.env);
  let model: InteractionModel;
  try {
    model = await loadInteractionModel(resolve(io.cwd, modelPath));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UsageError(`${modelPath}: no such model file or folder`);
    if (!(error instanceof ModelError)) throw error;
    io.stderr.write(`${style.red(`${modelPath}: ${error.message}`)}\n`);
    return 1;
  }

  // Paths as a command run from here names them, so the header's command can be pasted back, and the
  // same whether the user typed ./models/x.json or models/x.json (or --check would see a change).
  const source = shown(io.cwd, modelPath);
  const target = out === undefined ? undefined : shown(io.cwd, out);
  const files = generateModelModule(model, { source, ...(target !== undefined ? { out: target } : {}) });
  const summary = describeModel(model);

  if (target === undefined) {
    io.stdout.write(files[0]!.text);
    // stderr, so the module can be redirected into a file as it is.
    io.stderr.write(style.dim(`${summary} from ${source}\n`));
    return 0;
  }

  if (values.check) {
    const stale: string[] = [];
    for (const file of files) {
      const existing = await readText(resolve(io.cwd, file.path));
      if (existing === undefined) stale.push(`${file.path} is missing`);
      else if (normalized(existing) !== file.text) stale.push(`${file.path} is out of date with ${source}`);
    }
    if (stale.length > 0) {
      io.stderr.write(
        `${style.red(stale.join('; '))}: run ${regenerateCommand(source, target)} to update it\n`,
      );
      return 1;
    }
    io.stdout.write(`${names(files)} up to date with ${source} (${summary})\n`);
    return 0;
  }

  const written: GeneratedFile[] = [];
  for (const file of files) {
    const absolute = resolve(io.cwd, file.path);
    // An unchanged file is left alone: rewriting it would make `cekit dev` and watchers reload for nothing.
    if ((await readText(absolute)) === file.text) continue;
    await mkdir(dirname(absolute), { recursive: true });
    await writeFile(absolute, file.text);
    written.push(file);
  }
  io.stdout.write(
    written.length > 0
      ? `${styleFor(io.stdout, io.env).green('wrote')} ${names(written)}: ${summary}\n`
      : `${names(files)} already up to date: ${summary}\n`,
  );
  return 0;
}

/** A path relative to the working folder with `/` separators, or absolute when it lies outside it. */
function shown(cwd: string, path: string): string {
  const absolute = resolve(cwd, path);
  const relation = relative(cwd, absolute);
  if (relation === '') return '.';
  if (relation.startsWith('..') || isAbsolute(relation)) return absolute.split(sep).join('/');
  return relation.split(sep).join('/');
}

function names(files: GeneratedFile[]): string {
  return files.map((file) => file.path).join(' and ');
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A checkout with CRLF line endings (git's autocrlf on Windows) holds the same module. */
function normalized(text: string): string {
  return text.replaceAll('\r\n', '\n');
}
