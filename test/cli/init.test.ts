import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createResolver, loadInteractionModel } from 'cekit/testing';
import {
  defaultExtensionId,
  findCekit,
  packageNameOf,
  planProject,
  type ProjectKind,
  type ProjectLanguage,
} from '../../src/cli/commands/init.js';
import { main } from '../../src/cli/main.js';
import { bufferIo } from './io.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const CUSTOM_FILES = [
  '.gitignore',
  'README.md',
  'models/interaction-model.json',
  'package.json',
  'src/extension.ts',
  'src/server.ts',
  'test/extension.test.ts',
  'tsconfig.build.json',
  'tsconfig.json',
];
const HOME_FILES = [
  '.gitignore',
  'README.md',
  'package.json',
  'src/appliances.ts',
  'src/extension.ts',
  'src/server.ts',
  'test/extension.test.ts',
  'tsconfig.build.json',
  'tsconfig.json',
];

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'cekit-init-unit-'));
});
afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

async function init(args: string[], cwd = scratch) {
  const { io, out } = bufferIo(cwd);
  const code = await main(['init', ...args], io);
  return { code, ...out };
}

const read = (...path: string[]) => readFileSync(join(scratch, ...path), 'utf8');
const manifestOf = (folder: string) =>
  JSON.parse(read(folder, 'package.json')) as {
    name: string;
    private: boolean;
    type: string;
    scripts: Record<string, string>;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };

describe('cekit init', () => {
  it('creates a Custom project, lists its files and the next steps', async () => {
    const result = await init(['my-dice']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    for (const file of CUSTOM_FILES) {
      expect(existsSync(join(scratch, 'my-dice', file)), file).toBe(true);
      expect(result.stdout).toContain(`  ${file}\n`);
    }
    expect(result.stdout).toContain(
      'a Custom extension in my-dice (Extension ID com.example.my-dice, language ja)',
    );
    expect(result.stdout).toMatch(
      /Next steps:\n {2}cd my-dice\n {2}npm install\n {2}npm run dev .*\n {2}npm run simulate .*\n {2}npm test /,
    );

    const manifest = manifestOf('my-dice');
    expect(manifest).toMatchObject({ name: 'my-dice', private: true, type: 'module' });
    expect(manifest.dependencies).toEqual({ cekit: `^${VERSION}` });
    expect(manifest.scripts).toEqual({
      dev: 'cekit dev src/extension.ts --extension-id com.example.my-dice',
      simulate:
        'cekit simulate http://127.0.0.1:3000/ --key .cekit/dev-key.pem --extension-id com.example.my-dice ' +
        '--model models/interaction-model.json --locale ja-JP',
      check: 'cekit check http://127.0.0.1:3000/ --key .cekit/dev-key.pem --extension-id com.example.my-dice',
      types: 'cekit types models/interaction-model.json --out src/model.ts',
      test: 'tsc --noEmit && node --import tsx --test test/extension.test.ts',
      build: 'tsc -p tsconfig.build.json',
      start: 'node dist/server.js',
    });
    expect(read('my-dice', 'src/extension.ts')).toContain(
      "export const EXTENSION_ID = 'com.example.my-dice';",
    );
    expect(read('my-dice', '.gitignore').split('\n')).toEqual(
      expect.arrayContaining(['node_modules', 'dist', '.cekit']),
    );
    // The model is one the simulator and the test can load, and it understands the test's sentence.
    const model = await loadInteractionModel(join(scratch, 'my-dice/models/interaction-model.json'));
    expect(createResolver(model).resolve('サイコロを3個振って')).toMatchObject({
      intent: 'ThrowDiceIntent',
      slots: { diceCount: { value: '3' } },
    });
  });

  it('creates a Clova Home project whose scripts send the demo access token', async () => {
    const result = await init(['lights', '--kind', 'home']);
    expect(result.code).toBe(0);
    for (const file of HOME_FILES) expect(result.stdout).toContain(`  ${file}\n`);
    expect(existsSync(join(scratch, 'lights/models'))).toBe(false);
    const token = /DEMO_ACCESS_TOKEN = '([^']+)'/.exec(read('lights', 'src/extension.ts'))?.[1];
    expect(token).toBe('demo-access-token');
    const { scripts } = manifestOf('lights');
    expect(scripts.dev).toBe('cekit dev src/extension.ts');
    expect(scripts.simulate).toBe(
      `cekit simulate http://127.0.0.1:3000/ --key .cekit/dev-key.pem --access-token ${token}`,
    );
    expect(scripts.check).toBe(
      `cekit check http://127.0.0.1:3000/ --key .cekit/dev-key.pem --kind home --access-token ${token}`,
    );
    expect(read('lights', 'README.md')).toContain(token);
  });

  it('creates the project in the current folder by default, named after it', async () => {
    const folder = join(scratch, 'Weather Bot');
    mkdirSync(folder);
    const result = await init([], folder);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('cd ');
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { name: string };
    expect(manifest.name).toBe('weather-bot');
    expect(readFileSync(join(folder, 'src/extension.ts'), 'utf8')).toContain("'com.example.weather-bot'");
  });

  it('quotes a folder with spaces in the cd step', async () => {
    const result = await init(['my project']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("  cd 'my project'\n");
  });

  it('takes the Extension ID given, everywhere it is used', async () => {
    const result = await init(['x', '--extension-id', 'jp.co.acme.dice']);
    expect(result.code).toBe(0);
    expect(Object.values(manifestOf('x').scripts).join('\n')).not.toContain('com.example');
    expect(manifestOf('x').scripts.dev).toContain('--extension-id jp.co.acme.dice');
    expect(read('x', 'src/extension.ts')).toContain("'jp.co.acme.dice'");
    expect(read('x', 'README.md')).toContain('jp.co.acme.dice');
  });

  it('speaks the language asked for, with the matching locale and verification region', async () => {
    for (const [language, locale, region, sentence] of [
      ['ja', 'ja-JP', 'jp', 'サイコロを3個振って'],
      ['en', 'en-US', 'jp', 'roll three dice'],
      ['ko', 'ko-KR', 'kr', '주사위 세 개 던져줘'],
    ] as const) {
      expect((await init([language, '--language', language])).code).toBe(0);
      expect(read(language, 'src/extension.ts')).toContain(`language: '${language}'`);
      expect(read(language, 'test/extension.test.ts')).toContain(`locale: '${locale}'`);
      expect(read(language, 'test/extension.test.ts')).toContain(sentence);
      expect(manifestOf(language).scripts.simulate).toContain(`--locale ${locale}`);
      expect(read(language, 'src/server.ts')).toContain(`verify: { region: '${region}' }`);
      const model = await loadInteractionModel(join(scratch, language, 'models/interaction-model.json'));
      expect(createResolver(model).resolve(sentence), language).toMatchObject({
        intent: 'ThrowDiceIntent',
        slots: { diceCount: { value: '3' } },
      });

      expect((await init([`home-${language}`, '--kind', 'home', '--language', language])).code).toBe(0);
      expect(read(`home-${language}`, 'src/server.ts')).toContain(`verify: { region: '${region}' }`);
    }
    expect(read('ja', 'src/extension.ts')).toContain('サイコロ');
    expect(read('en', 'src/extension.ts')).toContain('How many?');
    expect(read('home-en', 'src/appliances.ts')).toContain("name: 'Living room light'");
    expect(read('home-ko', 'src/appliances.ts')).toContain("name: '거실 조명'");
  });

  it('replaces every template token', async () => {
    for (const kind of ['custom', 'home'])
      for (const language of ['ja', 'en', 'ko']) {
        const folder = `${kind}-${language}`;
        expect((await init([folder, '--kind', kind, '--language', language])).code).toBe(0);
        const files = kind === 'custom' ? CUSTOM_FILES : HOME_FILES;
        for (const file of files) expect(read(folder, file), `${folder}/${file}`).not.toMatch(/__[A-Z_]+__/);
      }
  });

  it('refuses to overwrite a file, names it, and writes nothing', async () => {
    mkdirSync(join(scratch, 'taken'));
    writeFileSync(join(scratch, 'taken/package.json'), '{"name":"mine"}');
    const result = await init(['taken']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^taken already has package\.json; pass --force to replace it/);
    expect(result.stderr).toContain('Usage: cekit init');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(read('taken', 'package.json')).toBe('{"name":"mine"}');
    expect(existsSync(join(scratch, 'taken/src'))).toBe(false);
  });

  it('writes into a folder that is not empty when nothing would be replaced', async () => {
    mkdirSync(join(scratch, 'repo/.git'), { recursive: true });
    writeFileSync(join(scratch, 'repo/LICENSE'), 'MIT');
    expect((await init(['repo'])).code).toBe(0);
    expect(read('repo', 'LICENSE')).toBe('MIT');
  });

  it('replaces existing files with --force', async () => {
    expect((await init(['again'])).code).toBe(0);
    writeFileSync(join(scratch, 'again/src/extension.ts'), '// mine');
    writeFileSync(join(scratch, 'again/notes.txt'), 'kept');
    const refused = await init(['again', '--kind', 'home']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('src/extension.ts');
    const forced = await init(['again', '--kind', 'home', '--force']);
    expect(forced.code).toBe(0);
    expect(read('again', 'src/extension.ts')).toContain('createHomeExtension');
    expect(read('again', 'notes.txt')).toBe('kept');
  });

  it('refuses bad options with a usage error, never a stack', async () => {
    for (const [args, message] of [
      [['x', '--kind', 'alexa'], '--kind is custom or home, not "alexa"'],
      [['x', '--language', 'fr'], '--language is ja, en or ko, not "fr"'],
      [['x', '--language', 'toString'], '--language is ja, en or ko'],
      [['x', '--extension-id', 'com.example.$(rm -rf)'], 'is not an Extension ID'],
      [['x', 'y'], 'Give one folder'],
      [['x', '--kind', 'home', '--extension-id', 'com.example.x'], '--extension-id is for Custom extensions'],
      [['x', '--colour'], "Unknown option '--colour'"],
    ] as const) {
      const result = await init([...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    writeFileSync(join(scratch, 'file'), '');
    const onFile = await init(['file']);
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toContain('file is a file, not a folder');
    expect(existsSync(join(scratch, 'x'))).toBe(false);
  });

  it('prints its help', async () => {
    const result = await init(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: cekit init \[dir\] \[--kind custom\|home\]/);
  });
});

describe('names derived from the folder', () => {
  it('makes an npm package name and an Extension ID', () => {
    expect(packageNameOf('my-dice')).toBe('my-dice');
    expect(packageNameOf('My Dice App')).toBe('my-dice-app');
    expect(packageNameOf('.hidden_thing')).toBe('hidden_thing');
    expect(packageNameOf('サイコロ')).toBe('clova-extension');
    expect(defaultExtensionId('my-dice')).toBe('com.example.my-dice');
    expect(defaultExtensionId('hidden_thing')).toBe('com.example.hidden-thing');
    expect(defaultExtensionId('v1.2')).toBe('com.example.v1-2');
  });
});

describe('the templates', () => {
  it('are found from the running module, in this repository', async () => {
    const cekit = await findCekit();
    expect(cekit.root).toBe(ROOT.replace(/[\\/]$/, ''));
    expect(cekit.version).toBe(VERSION);
  });

  it('give every language the same files', async () => {
    const { templates } = await findCekit();
    for (const [kind, expected] of [
      ['custom', CUSTOM_FILES],
      ['home', HOME_FILES],
    ] as const)
      for (const language of ['ja', 'en', 'ko'] as const) {
        const plan = await planProject(templates, kind as ProjectKind, language as ProjectLanguage);
        expect(plan.map((file) => file.path)).toEqual(expected);
      }
  });

  it("ask for dev tools this repository's lockfile satisfies, so npm's cache can serve them", () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version: string }>;
    };
    for (const kind of ['custom', 'home']) {
      const manifest = JSON.parse(readFileSync(join(ROOT, 'templates', kind, 'package.json'), 'utf8')) as {
        devDependencies: Record<string, string>;
      };
      expect(Object.keys(manifest.devDependencies).sort()).toEqual(['@types/node', 'tsx', 'typescript']);
      for (const [name, range] of Object.entries(manifest.devDependencies)) {
        const installed = lock.packages[`node_modules/${name}`]?.version;
        expect(installed && satisfies(installed, range), `${kind}: ${name} ${range} vs ${installed}`).toBe(
          true,
        );
      }
    }
  });
});

/** `^x.y.z` and `~x.y.z`, the two forms the templates use (no semver dependency for two operators). */
function satisfies(version: string, range: string): boolean {
  const match = /^([~^])(\d+)\.(\d+)\.(\d+)$/.exec(range);
  if (!match) throw new Error(`unexpected range ${range}`);
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  const [want, wantMajor, wantMinor, wantPatch] = [
    match[1],
    Number(match[2]),
    Number(match[3]),
    Number(match[4]),
  ];
  if (major !== wantMajor) return false;
  if (want === '~' && minor !== wantMinor) return false;
  return minor > wantMinor || (minor === wantMinor && patch >= wantPatch);
}
