import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packedCekit, writeStrictTsconfig } from '../helpers/packed.js';

// What `cekit types` promises, checked on the published package: the module it writes from the
// console's TSV export of the order model, given to createExtension({ model }), lets a user's correct
// code compile under strict settings, and turns each misspelling into a compile error that names the
// fix. The same for the JavaScript module with its .d.ts, from a TypeScript file and a checkJs one.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

let scratch: string;
let project: string;

const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** A line of a user's file, and the compile error it must give (none for correct code). */
type Line = string | [code: string, error: { ts: number; message: RegExp }];

/** The file's text, and the `line TScode` of each error it must give. */
function source(lines: Line[]): { text: string; errors: Map<number, { ts: number; message: RegExp }> } {
  const errors = new Map<number, { ts: number; message: RegExp }>();
  lines.forEach((line, index) => {
    if (typeof line !== 'string') errors.set(index + 1, line[1]);
  });
  return { text: `${lines.map((line) => (typeof line === 'string' ? line : line[0])).join('\n')}\n`, errors };
}

const CORRECT: Line[] = [
  "import { createExtension } from 'cekit';",
  "import { model, type Model } from './model.js';",
  '',
  "export const app = createExtension({ extensionId: 'com.example.pizza', model });",
  "app.intent('OrderPizza', (ctx) => {",
  '  const amount: number = ctx.slots.pizzaAmount ?? 1;',
  '  // Exactly the representative words: no wider type (string) would be assignable here.',
  "  const type: 'マルゲリータ' | 'ペパロニ' | 'シーフード' | undefined = ctx.slots.pizzaType;",
  "  if (ctx.slots.pizzaType === 'ペパロニ') return ctx.say(`ペパロニを${(amount * 2).toFixed(0)}枚`);",
  "  return ctx.say(`${type ?? 'ピザ'}を${amount}枚`);",
  '});',
  "app.intent('RepeatLastOrder', (ctx) => ctx.say('いつものですね'));",
  "app.intent(['Clova.GuideIntent', 'Clova.YesIntent'], (ctx) => ctx.ask('ご注文は?'));",
  '',
  'export const typed = createExtension<{ session: { step: number }; model: Model }>({',
  "  extensionId: 'com.example.pizza',",
  '  model,',
  '});',
  "typed.intent('OrderPizza', (ctx) => {",
  '  ctx.session.step = (ctx.session.step ?? 0) + 1;',
  '  ctx.say(String(ctx.slots.pizzaAmount ?? 0));',
  '});',
];

const MISTAKES: Line[] = [
  "import { createExtension } from 'cekit';",
  "import { model, type Model } from './model.js';",
  '',
  "const app = createExtension({ extensionId: 'com.example.pizza', model });",
  [
    "app.intent('OrderPiza', (ctx) => ctx.say('x'));",
    {
      ts: 2345,
      message: /Argument of type '"OrderPiza"' is not assignable to parameter of type '"OrderPizza"[ '|]/,
    },
  ],
  "app.intent('OrderPizza', (ctx) => {",
  [
    '  ctx.say(String(ctx.slots.pizzaTyp));',
    { ts: 2551, message: /Property 'pizzaTyp' does not exist .* Did you mean 'pizzaType'\?/ },
  ],
  [
    "  if (ctx.slots.pizzaType === 'ハワイアン') ctx.say('x');",
    { ts: 2367, message: /"ハワイアン"' have no overlap/ },
  ],
  [
    "  ctx.say(ctx.slots.pizzaAmount?.toUpperCase() ?? '');",
    { ts: 2339, message: /Property 'toUpperCase' does not exist on type 'number'/ },
  ],
  '});',
  [
    "createExtension<{ session: { step: number }; model: Model }>({ extensionId: 'com.example.pizza' });",
    { ts: 2345, message: /Property 'model' is missing/ },
  ],
];

/** The JavaScript module's declarations give exactly the TypeScript module's type. */
const SAME_TYPE: Line[] = [
  "import type { Model as FromTypeScript } from './model.js';",
  "import type { Model as FromJavaScript } from '../js/model.js';",
  'type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;',
  'export const same: Equal<FromTypeScript, FromJavaScript> = true;',
];

/** A JavaScript user of model.js under checkJs. */
const JS_USER: Line[] = [
  '// @ts-check',
  "import { createExtension } from 'cekit';",
  "import { model } from './model.js';",
  '',
  "export const app = createExtension({ extensionId: 'com.example.pizza', model });",
  "app.intent('OrderPizza', (ctx) => {",
  '  /** @type {number} */',
  '  const amount = ctx.slots.pizzaAmount ?? 1;',
  "  if (ctx.slots.pizzaType === 'ペパロニ') ctx.say(String(amount));",
  [
    '  ctx.say(String(ctx.slots.pizzaTyp));',
    { ts: 2551, message: /Property 'pizzaTyp' does not exist .* Did you mean 'pizzaType'\?/ },
  ],
  '});',
  [
    "app.intent('OrderPiza', (ctx) => ctx.say('x'));",
    { ts: 2345, message: /parameter of type '"OrderPizza"[ '|]/ },
  ],
];

const FILES = {
  'src/user.ts': source(CORRECT),
  'src/mistakes.ts': source(MISTAKES),
  'src/same-type.ts': source(SAME_TYPE),
  'js/user.js': source(JS_USER),
};

const EXPECTED = Object.entries(FILES).flatMap(([path, file]) =>
  [...file.errors].map(([line, error]) => ({ where: `${path}:${line}`, ...error })),
);

beforeAll(async () => {
  const packed = await packedCekit();
  scratch = mkdtempSync(join(tmpdir(), 'cekit-model-types-'));
  project = join(scratch, 'project');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'pizza', private: true, type: 'module' }),
  );
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', packed.tarball], project);
  // The installed command, on the console's TSV export.
  const cekit = join(project, 'node_modules/.bin/cekit');
  const model = join(ROOT, 'examples/models/order');
  expect(run(cekit, ['types', model, '--out', 'src/model.ts'], project)).toMatch(
    /^wrote src\/model\.ts: 2 intents, 1 slot type\n$/,
  );
  expect(run(cekit, ['types', model, '--out', 'js/model.js'], project)).toMatch(
    /^wrote js\/model\.js and js\/model\.d\.ts: 2 intents, 1 slot type\n$/,
  );
  for (const [path, file] of Object.entries(FILES)) writeFileSync(join(project, path), file.text);
}, 240_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Every error of one tsc run over the files, keyed `file:line`, with its code and whole message. */
function compile(compilerOptions: Record<string, unknown>): Map<string, { ts: number; message: string }> {
  const config = writeStrictTsconfig(
    project,
    String(compilerOptions.moduleResolution),
    { ...compilerOptions, allowJs: true, checkJs: true },
    Object.keys(FILES),
  );
  let output = '';
  try {
    run(process.execPath, [TSC, '-p', config, '--pretty', 'false'], project);
  } catch (error) {
    output = String((error as { stdout?: string }).stdout || error); // tsc reports on stdout
  }
  const errors = new Map<string, { ts: number; message: string }>();
  let last: { ts: number; message: string } | undefined;
  for (const line of output.split('\n')) {
    const match = /^(.+?)\((\d+),\d+\): error TS(\d+): (.*)$/.exec(line);
    if (match) {
      last = { ts: Number(match[3]), message: match[4]! };
      errors.set(`${match[1]}:${match[2]}`, last);
    } else if (last && line.trim() !== '') last.message += ` ${line.trim()}`; // an elaborated message
  }
  return errors;
}

describe.each([
  { module: 'node16', moduleResolution: 'node16' },
  { module: 'esnext', moduleResolution: 'bundler' },
])('the generated model, type-checked with $moduleResolution resolution', (compilerOptions) => {
  let errors: Map<string, { ts: number; message: string }>;
  beforeAll(() => {
    errors = compile(compilerOptions);
  }, 60_000);

  it('compiles correct code without an error, and the .js module has the .ts module type', () => {
    // Only the lines marked as mistakes fail: the correct file, the type equality and the rest pass.
    expect([...errors].filter(([where]) => !EXPECTED.some((error) => error.where === where))).toEqual([]);
  });

  it('turns each misspelling into its own error, naming the fix', () => {
    expect([...errors.keys()].sort()).toEqual(EXPECTED.map((error) => error.where).sort());
    for (const { where, ts, message } of EXPECTED) {
      expect(errors.get(where)?.ts, where).toBe(ts);
      expect(errors.get(where)?.message, where).toMatch(message);
    }
  });
});
