import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadInteractionModel } from '../../testing/index.js';
import { styleFor, UsageError, type CliIo } from '../io.js';
import { generateModelModule } from '../model-module.js';
import { ownPackage } from '../own-package.js';
import { shellQuote } from '../words.js';

export const initHelp = `Usage: cekit init [dir] [--kind custom|home] [--extension-id <id>] [--language ja|en|ko] [--force]

Creates a ready project in dir (default: the current folder): an extension served by cekit dev,
a production server, a conversation test, and npm scripts for dev, simulate, check, test, build, start.
  --kind custom|home     a Custom extension (default) or a Clova Home extension
  --extension-id <id>    Custom: the Extension ID from the Clova developer console
                         (default com.example.<folder name>)
  --language ja|en|ko    the language it speaks (default ja; ko also verifies with the KR key)
  --force                replace files that already exist (refused otherwise)
`;

export type ProjectKind = 'custom' | 'home';
export type ProjectLanguage = 'ja' | 'en' | 'ko';

/** Locale sent by the simulator, and the region whose published key verifies requests in production. */
const LANGUAGES: Record<ProjectLanguage, { locale: string; region: 'jp' | 'kr' }> = {
  ja: { locale: 'ja-JP', region: 'jp' },
  en: { locale: 'en-US', region: 'jp' },
  ko: { locale: 'ko-KR', region: 'kr' },
};

const isLanguage = (text: string): text is ProjectLanguage => Object.hasOwn(LANGUAGES, text);

/**
 * Template names that cannot be the real name inside cekit's package: npm pack leaves out every
 * `.gitignore` (and would apply it as the folder's ignore list).
 */
const RENAMED: Record<string, string> = { gitignore: '.gitignore' };

/** `name.<language>.ext` is copied for that language only, as `name.ext`. */
const LANGUAGE_VARIANT = /^(.+)\.(ja|en|ko)(\.[^.]+)$/;

/**
 * A Custom project's model module: generated from its model rather than copied, so it is exactly what
 * its `npm run types` script (`cekit types <MODEL_SOURCE> --out <MODEL_MODULE>`) writes.
 */
const MODEL_SOURCE = 'models/interaction-model.json';
const MODEL_MODULE = 'src/model.ts';

/** A valid Extension ID, and nothing that could break out of the JSON, TypeScript and shell it lands in. */
const EXTENSION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface PlannedFile {
  /** Path in the new project, with `/` separators. */
  path: string;
  /** The template file it is copied from. */
  source: string;
}

export async function init(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      kind: { type: 'string' },
      'extension-id': { type: 'string' },
      language: { type: 'string' },
      force: { type: 'boolean' },
    },
  });
  if (positionals.length > 1) throw new UsageError('Give one folder to create the project in');
  const kind = values.kind ?? 'custom';
  if (kind !== 'custom' && kind !== 'home') throw new UsageError(`--kind is custom or home, not "${kind}"`);
  const language = values.language ?? 'ja';
  if (!isLanguage(language)) throw new UsageError(`--language is ja, en or ko, not "${language}"`);
  const { locale, region } = LANGUAGES[language];

  const target = resolve(io.cwd, positionals[0] ?? '.');
  if (existsSync(target) && !statSync(target).isDirectory())
    throw new UsageError(`${positionals[0] ?? '.'} is a file, not a folder`);
  if (kind === 'home' && values['extension-id'] !== undefined)
    throw new UsageError(
      '--extension-id is for Custom extensions: Clova Home requests carry no Extension ID',
    );
  const packageName = packageNameOf(basename(target));
  const extensionId = values['extension-id'] ?? defaultExtensionId(packageName);
  if (!EXTENSION_ID.test(extensionId))
    throw new UsageError(
      `--extension-id "${extensionId}" is not an Extension ID: use letters, digits, "." "-" "_", like com.example.dice`,
    );

  const cekit = await findCekit();
  const files = await planProject(cekit.templates, kind, language);
  const generated = kind === 'custom' ? [MODEL_MODULE] : [];
  const paths = [...files.map((file) => file.path), ...generated].sort();
  const existing = paths.filter((path) => existsSync(join(target, path)));
  if (existing.length > 0 && !values.force)
    throw new UsageError(
      `${displayPath(io.cwd, target)} already has ${existing.join(', ')}; ` +
        `pass --force to replace ${existing.length === 1 ? 'it' : 'them'}, or choose another folder`,
    );

  const tokens: Record<string, string> = {
    __PACKAGE_NAME__: packageName,
    __EXTENSION_ID__: extensionId,
    __CEKIT_VERSION__: cekit.version,
    __LOCALE__: locale,
    __REGION__: region,
  };
  for (const file of files) {
    let text = await readFile(file.source, 'utf8');
    for (const [token, value] of Object.entries(tokens)) text = text.replaceAll(token, value);
    const destination = join(target, file.path);
    await mkdir(dirname(destination), { recursive: true });
    // 'wx' fails on a file created since the check above: never overwrite without --force.
    await writeFile(destination, text, { flag: values.force ? 'w' : 'wx' });
  }
  if (generated.length > 0) {
    const model = await loadInteractionModel(join(target, MODEL_SOURCE));
    const [module] = generateModelModule(model, { source: MODEL_SOURCE, out: MODEL_MODULE });
    await writeFile(join(target, MODEL_MODULE), module!.text, { flag: values.force ? 'w' : 'wx' });
  }

  io.stdout.write(report({ io, target, kind, language, extensionId, paths }));
  return 0;
}

/** The files of a new project: templates/common, then templates/<kind> (which wins on the same path). */
export async function planProject(
  templates: string,
  kind: ProjectKind,
  language: ProjectLanguage,
): Promise<PlannedFile[]> {
  const planned = new Map<string, PlannedFile>();
  for (const folder of ['common', kind]) {
    for (const source of await listFiles(join(templates, folder))) {
      const parts = relative(join(templates, folder), source).split(/[\\/]/);
      let name = parts.pop()!;
      const variant = LANGUAGE_VARIANT.exec(name);
      if (variant) {
        if (variant[2] !== language) continue;
        name = `${variant[1]}${variant[3]}`;
      }
      const path = [...parts, RENAMED[name] ?? name].join('/');
      planned.set(path, { path, source });
    }
  }
  return [...planned.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
}

async function listFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await listFiles(path)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

/** cekit's own folder, its version, and the project templates it ships. */
export async function findCekit(): Promise<{ root: string; templates: string; version: string }> {
  const { root, version } = await ownPackage();
  const templates = join(root, 'templates');
  if (!existsSync(templates))
    throw new Error(`cekit's project templates are missing from ${root}; reinstall cekit`);
  return { root, templates, version };
}

/** An npm package name from a folder name: lower case, URL-safe, no leading dot or underscore. */
export function packageNameOf(folderName: string): string {
  const name = folderName
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .slice(0, 214)
    .replace(/^[._~-]+|[._~-]+$/g, '');
  return name || 'clova-extension';
}

/** `com.example.<name>`, the name reduced to a reverse-DNS label (letters, digits, inner dashes). */
export function defaultExtensionId(packageName: string): string {
  const label = packageName.replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return `com.example.${label || 'extension'}`;
}

function report(options: {
  io: CliIo;
  target: string;
  kind: ProjectKind;
  language: ProjectLanguage;
  extensionId: string;
  paths: string[];
}): string {
  const { io, target, kind, language, extensionId, paths } = options;
  const style = styleFor(io.stdout, io.env);
  const where = displayPath(io.cwd, target);
  const what = kind === 'custom' ? 'a Custom extension' : 'a Clova Home extension';
  const steps: [command: string, why?: string][] = [
    ['npm install'],
    ['npm run dev', 'serves src/extension.ts on http://127.0.0.1:3000/, reloading on change'],
    ['npm run simulate', 'in another terminal: talk to it like CEK'],
    ['npm test', 'type-check and run the conversation test'],
  ];
  if (where !== '.') steps.unshift([`cd ${shellQuote(where)}`]);
  const width = Math.max(...steps.map(([command, why]) => (why ? command.length : 0)));
  const line = ([command, why]: [string, string?]) =>
    why ? `  ${style.bold(command.padEnd(width))}  ${style.dim(why)}\n` : `  ${style.bold(command)}\n`;
  return (
    `${style.green('Created')} ${what} in ${style.bold(where)} ` +
    `(${kind === 'custom' ? `Extension ID ${extensionId}, ` : ''}language ${language}):\n` +
    paths.map((path) => `  ${path}\n`).join('') +
    `\nNext steps:\n${steps.map(line).join('')}` +
    `\nREADME.md says what every script does.\n`
  );
}

/** The folder as the user would type it: relative to where they are, absolute when it lies elsewhere. */
function displayPath(cwd: string, target: string): string {
  const path = relative(cwd, target);
  if (path === '') return '.';
  return path.startsWith('..') ? target : path;
}
