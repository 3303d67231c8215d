import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { closeDevSession, devSession, openDevSession, type DevSession } from '../../core/dev-session.js';
import { silentLogger } from '../../core/logger.js';
import { JP_PUBLIC_KEY_PEM } from '../../verify/bundled-key.js';
import {
  lintInteractionModel,
  ModelError,
  readModelJson,
  type HandlerSource,
  type ModelJson,
  type ModelProblem,
} from '../../testing/index.js';
import { styleFor, UsageError, type CliIo, type Style } from '../io.js';
import { resolveFromProjectOrCekit, TS_MODULE } from '../tsx.js';
import { exportCandidates } from './dev-worker.js';

export const modelHelp = `Usage: cekit model check <model> [--extension <module>] [--export <name>] [--json] [--strict]

Checks an interaction model (a .json file in cekit's form, or a folder of the console's TSV files) and
prints every problem, grouped by intent, instead of stopping at the first:
  errors    what CEK would refuse or get wrong: undeclared or repeated slots in a sample, broken slot
            markers, misspelt built-in slot types (CLOVA.NUMBR, NUMBER), unknown custom types, DATETIME
            with DATETIME_RECENT, duplicate intents, intents without samples, one sentence in two intents
  warnings  a sample that, said with example slot values, resolves to another intent in the simulator;
            unused slots and slot types, empty slot types, a synonym under two words, repeated samples
  --extension <module>  also compare with the handlers of an extension module (its default export, an
                        export named app or extension, or a factory called with { logger }): intents
                        without a handler, handlers for intents the model lacks, handler slots the model
                        does not fill. The module is imported, never served; a module that calls serve()
                        when imported is refused. TypeScript modules need tsx in the project.
  --export <name>       the export holding the extension, when the module has several
  --json                print { ok, errors, warnings, problems }, each problem
                        { code, severity, intent?, slot?, slotType?, sample?, message }
  --strict              fail on warnings too
Exit code 0 when there is no error (warnings allowed, unless --strict), 1 when there are (a model file
that exists but cannot be read as a model is one), 2 for a usage mistake (no such model or module).
`;

export async function model(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined) {
    io.stdout.write(modelHelp);
    return 2;
  }
  if (sub !== 'check')
    throw new UsageError(`Unknown subcommand "model ${sub}": the only one is "model check"`);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      extension: { type: 'string' },
      export: { type: 'string' },
      json: { type: 'boolean' },
      strict: { type: 'boolean' },
    },
  });
  const path = positionals[0];
  if (!path || positionals.length > 1)
    throw new UsageError('Give one interaction model: a .json file or a folder of TSV files');
  if (values.export !== undefined && values.extension === undefined)
    throw new UsageError('--export picks the extension of --extension <module>: add --extension');

  let json: ModelJson | undefined;
  let problems: ModelProblem[] = [];
  try {
    json = await readModelJson(resolve(io.cwd, path));
  } catch (error) {
    // A model that is there but does not read as one is the model's problem, reported like the others
    // (and in --json); a path that is not there is the command line's.
    if (!(error instanceof ModelError)) throw missing(path, error, 'no such file or folder');
    problems = [{ code: 'MODEL_UNREADABLE', severity: 'error', message: error.message }];
  }
  if (json !== undefined) {
    const extension =
      values.extension === undefined
        ? undefined
        : await loadExtension(values.extension, values.export, io.cwd);
    problems = lintInteractionModel(json, extension ? { extension } : {});
  }

  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const warnings = problems.length - errors;
  const ok = errors === 0 && !(values.strict && warnings > 0);
  io.stdout.write(
    values.json
      ? `${JSON.stringify({ ok, errors, warnings, problems }, null, 2)}\n`
      : formatProblems(
          { path, ...(values.extension ? { extension: values.extension } : {}), json, problems, ok },
          styleFor(io.stdout, io.env),
        ),
  );
  return ok ? 0 : 1;
}

/** A file the command line names that cannot be read: a usage mistake, named by what it was for. */
function missing(path: string, error: unknown, what: string): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  return new UsageError(`${path}: ${code === 'ENOENT' ? what : (error as Error).message}`);
}

interface Report {
  path: string;
  extension?: string;
  json: ModelJson | undefined;
  problems: ModelProblem[];
  ok: boolean;
}

/** The problems grouped by intent (every intent listed, clean ones with ✓), then slot types, then a summary. */
function formatProblems(report: Report, style: Style = styleFor({}, {})): string {
  const { json, problems } = report;
  const groups = new Map<string, ModelProblem[]>();
  const group = (key: string) => {
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    return list;
  };
  // The model's own order: problems of the model as a whole, its intents, its slot types.
  group('');
  const intents = Array.isArray(json?.intents) ? json.intents : [];
  for (const intent of intents as unknown[]) {
    const name = (intent as { name?: unknown } | null)?.name;
    if (typeof name === 'string' && name) group(`intent\u0000${name}`);
  }
  // Handlers for intents the model lacks come after the model's intents.
  for (const problem of problems) if (problem.intent !== undefined) group(`intent\u0000${problem.intent}`);
  const slotTypes = json?.slotTypes && typeof json.slotTypes === 'object' ? Object.keys(json.slotTypes) : [];
  for (const name of slotTypes) group(`slot type\u0000${name}`);
  for (const problem of problems) {
    if (problem.intent !== undefined) group(`intent\u0000${problem.intent}`).push(problem);
    else if (problem.slotType !== undefined) group(`slot type\u0000${problem.slotType}`).push(problem);
    else group('').push(problem);
  }

  const mark = (list: readonly ModelProblem[]) =>
    list.some((problem) => problem.severity === 'error')
      ? style.red('✗')
      : list.length > 0
        ? style.yellow('!')
        : style.green('✓');
  const lines: string[] = [];
  for (const [key, list] of groups) {
    if (key === '' && list.length === 0) continue;
    const [kind = '', name = 'the model'] = key === '' ? [] : key.split('\u0000');
    lines.push(`${mark(list)} ${kind === 'slot type' ? `slot type ${name}` : style.bold(name)}`);
    for (const problem of list) {
      const severity = problem.severity === 'error' ? style.red('error  ') : style.yellow('warning');
      lines.push(`    ${severity} ${withoutPlace(problem, kind, name)} ${style.dim(problem.code)}`);
    }
  }

  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const warnings = problems.length - errors;
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const summary =
    problems.length === 0
      ? style.green(
          `✓ no problems (${count(intents.length, 'intent')}, ${count(slotTypes.length, 'slot type')})`,
        )
      : errors > 0
        ? style.red(`✗ ${count(errors, 'error')}, ${count(warnings, 'warning')}`)
        : report.ok
          ? style.yellow(`✓ no errors, ${count(warnings, 'warning')}`)
          : style.red(`✗ ${count(warnings, 'warning')} (--strict fails on warnings)`);
  const title = `cekit model check ${report.path}${report.extension ? ` --extension ${report.extension}` : ''}`;
  return `${title}\n\n${lines.join('\n')}${lines.length > 0 ? '\n\n' : ''}${summary}\n`;
}

/** Under its intent's heading, "Intent OrderPizza: sample ..." reads "sample ...". */
function withoutPlace(problem: ModelProblem, kind: string, name: string): string {
  const prefix = kind === 'intent' ? `Intent ${name}: ` : kind === 'slot type' ? `Slot type ${name}: ` : '';
  return prefix && problem.message.startsWith(prefix)
    ? problem.message.slice(prefix.length)
    : problem.message;
}

type Factory = (options: object) => unknown;

/** A Custom extension (createExtension()): what the handler checks need of it. */
const isCustomExtension = (value: unknown): value is HandlerSource =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { compareWithModel?: unknown }).compareWithModel === 'function';

/** The Custom extension in a value: itself, or one of a list (Custom and Clova Home dispatchers combined). */
const customIn = (value: unknown): HandlerSource[] =>
  Array.isArray(value) ? value.filter(isCustomExtension) : isCustomExtension(value) ? [value] : [];

/**
 * Imports the module and finds its Custom extension like `cekit dev` finds what to serve (the
 * `--export` named, else the default export, else every export), calling a lone factory; else any
 * export that is one, `app` or `extension` preferred. An endpoint is opaque (its handlers cannot be
 * listed): a module exporting only a combined endpoint is asked to export the extension too.
 */
async function loadExtension(path: string, name: string | undefined, cwd: string): Promise<HandlerSource> {
  const absolute = resolve(cwd, path);
  try {
    await stat(absolute);
  } catch (error) {
    throw missing(`--extension ${path}`, error, 'no such module');
  }
  const loaded = await importWithoutServing(absolute, cwd);
  const candidates = exportCandidates(loaded, name);
  let found = [...new Set(candidates.flatMap(customIn))];
  const factories = candidates.filter((value): value is Factory => typeof value === 'function');
  if (found.length === 0 && factories.length === 1) {
    // The options a factory gets: quiet, so building the extension prints nothing over the report.
    found = customIn(await factories[0]!({ logger: silentLogger }));
  }
  if (found.length === 0 && name === undefined) found = [...new Set(Object.values(loaded).flatMap(customIn))];
  if (found.length > 1) {
    const preferred = customIn(loaded.app ?? loaded.extension);
    if (preferred.length === 1) found = preferred;
  }
  if (found.length === 1) return found[0]!;
  throw new UsageError(
    found.length > 1
      ? `--extension ${path} exports several Custom extensions; pick one with --export <name>`
      : `--extension ${path} exports no Custom extension (createExtension()) to compare the model with: ` +
          'export it, e.g. `export default app` or `export const app`, or a factory returning it. ' +
          'An endpoint (createEndpoint) cannot list its handlers, and a Clova Home extension has no intents.',
  );
}

/**
 * Imports a module without letting it serve: while it loads, a dev session (the hook `cekit dev` uses to
 * place a module's server) refuses the address, so a `serve()` at import fails before listening. A
 * TypeScript module loads as is when the runtime reads TypeScript (tsx, Vitest), else through tsx from
 * the project, like `cekit dev`.
 */
async function importWithoutServing(path: string, cwd: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  try {
    return await withoutServing(() => import(url) as Promise<Record<string, unknown>>);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!TS_MODULE.test(path) || (code !== 'ERR_UNKNOWN_FILE_EXTENSION' && code !== 'ERR_MODULE_NOT_FOUND'))
      throw error;
    const tsImport = await tsxImport(cwd);
    return await withoutServing(() => tsImport(url, import.meta.url));
  }
}

type TsImport = (specifier: string, parent: string) => Promise<Record<string, unknown>>;

/** tsx's scoped importer from the project (or next to cekit): it loads one module graph as TypeScript. */
async function tsxImport(cwd: string): Promise<TsImport> {
  for (const manifest of resolveFromProjectOrCekit(cwd, 'tsx/package.json')) {
    // The ESM build of `tsx/esm/api` (require.resolve() would give the CommonJS one, which cannot load
    // its own ESM half from here): read its path from the package's exports.
    const { exports } = JSON.parse(await readFile(manifest, 'utf8')) as {
      exports?: Record<string, { import?: string | { default?: string } } | string>;
    };
    const entry = exports?.['./esm/api'];
    const path =
      typeof entry === 'object'
        ? typeof entry.import === 'string'
          ? entry.import
          : entry.import?.default
        : undefined;
    if (path === undefined) continue;
    const loaded = (await import(pathToFileURL(join(dirname(manifest), path)).href)) as {
      tsImport?: TsImport;
    };
    if (loaded.tsImport) return loaded.tsImport;
  }
  throw new UsageError(
    'TypeScript modules need tsx: npm install -D tsx (or point --extension at built JavaScript)',
  );
}

const SERVES_AT_IMPORT =
  'the module calls serve() when imported, and cekit model check does not start servers: export the ' +
  'extension (export default app) and call serve() in another module, as examples/dice/main.ts does';

async function withoutServing<T>(load: () => Promise<T>): Promise<T> {
  const previous = devSession();
  const refusal = new UsageError(SERVES_AT_IMPORT);
  let refused = false;
  const session: DevSession = {
    // Never used to verify anything: no server runs. Endpoints built at import need some RSA key.
    devKeyPem: JP_PUBLIC_KEY_PEM,
    trustCek: false,
    port: 0,
    host: '127.0.0.1',
    endpointCreated() {},
    claimAddress() {
      refused = true;
      throw refusal;
    },
    listening() {},
  };
  // A serve() not awaited rejects with nobody listening; that rejection is this refusal, said below.
  const swallow = (reason: unknown) => {
    if (reason !== refusal) throw reason;
  };
  process.on('unhandledRejection', swallow);
  openDevSession(session, 'development');
  try {
    const loaded = await load();
    if (refused) throw refusal;
    return loaded;
  } catch (error) {
    if (refused) throw refusal;
    throw error;
  } finally {
    if (previous) openDevSession(previous, 'development');
    else closeDevSession();
    // Unhandled rejections are reported after the current tick: keep the listener until then.
    await new Promise((done) => setImmediate(done));
    process.off('unhandledRejection', swallow);
  }
}
