import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { bufferIo } from './io.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const EXAMPLES = here('../../examples');
const FIXTURES = here('../fixtures/model-check');
let cwd: string;

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'cekit-model-'));
  writeFileSync(
    join(cwd, 'bad.json'),
    JSON.stringify({
      intents: [
        { name: 'ThrowDiceIntent', slots: { diceCount: 'CLOVA.NUMBR' }, samples: ['roll {diceCount} dice'] },
        { name: 'Help', slots: { topic: 'CLOVA.NUMBER' }, samples: ['help me'] },
      ],
    }),
  );
  writeFileSync(
    join(cwd, 'warnings.json'),
    JSON.stringify({
      intents: [
        { name: 'Paint', slots: { color: 'COLOR', size: 'CLOVA.NUMBER' }, samples: ['{color}に塗って'] },
      ],
      slotTypes: { COLOR: [['赤']] },
    }),
  );
  writeFileSync(join(cwd, 'broken.json'), '{ "intents": [ ');
});

afterAll(() => rmSync(cwd, { recursive: true, force: true }));

async function run(...args: string[]) {
  const { io, out } = bufferIo(cwd);
  const code = await main(['model', ...args], io);
  return { code, ...out };
}

describe('cekit model check', () => {
  it('passes the shipped example models, JSON and TSV folders', async () => {
    for (const name of ['dice.json', 'dice-tsv', 'pizza-tsv', 'order']) {
      const { code, stdout } = await run('check', join(EXAMPLES, 'models', name));
      expect(code, name).toBe(0);
      expect(stdout, name).toMatch(/✓ no problems \(\d intents?, \d slot types?\)\n$/);
    }
    const { stdout } = await run('check', join(EXAMPLES, 'models/order'));
    expect(stdout).toContain('✓ OrderPizza\n✓ RepeatLastOrder\n✓ slot type PIZZA_TYPE\n');
  });

  it('prints every problem grouped by intent, and exits 1 on errors', async () => {
    const { code, stdout } = await run('check', 'bad.json');
    expect(code).toBe(1);
    expect(stdout).toBe(
      'cekit model check bad.json\n\n' +
        '✗ ThrowDiceIntent\n' +
        '    error   slot "diceCount" has unknown built-in slot type CLOVA.NUMBR. Did you mean "CLOVA.NUMBER"? SLOT_TYPE_UNKNOWN\n' +
        '! Help\n' +
        '    warning slot "topic" is used in no sample, so CEK never fills it SLOT_UNUSED\n\n' +
        '✗ 1 error, 1 warning\n',
    );
  });

  it('prints { ok, errors, warnings, problems } with --json', async () => {
    const { code, stdout } = await run('check', 'bad.json', '--json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      ok: boolean;
      errors: number;
      warnings: number;
      problems: object[];
    };
    expect(report).toEqual({
      ok: false,
      errors: 1,
      warnings: 1,
      problems: [
        expect.objectContaining({
          code: 'SLOT_TYPE_UNKNOWN',
          severity: 'error',
          intent: 'ThrowDiceIntent',
          slot: 'diceCount',
        }),
        expect.objectContaining({ code: 'SLOT_UNUSED', severity: 'warning', intent: 'Help', slot: 'topic' }),
      ],
    });
  });

  it('exits 0 with warnings only, and 1 with --strict', async () => {
    const loose = await run('check', 'warnings.json');
    expect(loose.code).toBe(0);
    expect(loose.stdout).toContain('✓ no errors, 1 warning\n');
    const strict = await run('check', 'warnings.json', '--strict');
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('✗ 1 warning (--strict fails on warnings)\n');
    const json = await run('check', 'warnings.json', '--strict', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, errors: 0, warnings: 1 });
  });

  it('checks a folder of console TSV files', async () => {
    const folder = join(cwd, 'tsv');
    mkdirSync(join(folder, 'intents'), { recursive: true });
    writeFileSync(
      join(folder, 'intents', 'Hello.tsv'),
      '[INTENT SLOT]\nname\tCLOVA.WORLD_CITY\n[INTENT EXPRESSION]\nhello {nam}\nhi\n',
    );
    writeFileSync(join(folder, 'intents', 'Greet.tsv'), '[INTENT EXPRESSION]\nHi!\n');
    const { code, stdout } = await run('check', 'tsv', '--json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout).problems.map((p: { code: string }) => p.code)).toEqual([
      'SLOT_UNDECLARED',
      'SLOT_UNUSED',
      'DUPLICATE_SAMPLE',
    ]);
  });

  it('reports a model file that is not a model as a problem (exit 1), a missing one as a usage mistake (exit 2)', async () => {
    const broken = await run('check', 'broken.json', '--json');
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({
      ok: false,
      errors: 1,
      problems: [
        { code: 'MODEL_UNREADABLE', severity: 'error', message: expect.stringContaining('is not JSON') },
      ],
    });
    const missing = await run('check', 'nowhere.json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nowhere.json: no such file or folder');
    expect(missing.stdout).toBe('');
  });

  it('has usage and help: model alone, --help, unknown subcommands and flags', async () => {
    const bare = await run();
    expect(bare.code).toBe(2);
    expect(bare.stdout).toContain('Usage: cekit model check <model>');
    for (const args of [['--help'], ['check', '--help']]) {
      const help = await run(...args);
      expect(help.code, args.join(' ')).toBe(0);
      expect(help.stdout).toContain('--extension <module>');
    }
    const unknown = await run('lint', 'bad.json');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown subcommand "model lint"');
    expect((await run('check')).code).toBe(2);
    expect((await run('check', 'bad.json', '--stric')).code).toBe(2);
    const exportAlone = await run('check', 'bad.json', '--export', 'app');
    expect(exportAlone.code).toBe(2);
    expect(exportAlone.stderr).toContain('add --extension');
    const { io, out } = bufferIo(cwd);
    expect(await main(['--help'], io)).toBe(0);
    expect(out.stdout).toContain('model check <model>');
  });
});

describe('cekit model check --extension', () => {
  const model = join(FIXTURES, 'model.json');

  it('compares the model with the handlers of a module', async () => {
    const { code, stdout } = await run(
      'check',
      model,
      '--extension',
      join(FIXTURES, 'extension.ts'),
      '--json',
    );
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { problems: { code: string; intent?: string; slot?: string }[] };
    expect(report.problems.map(({ code, intent, slot }) => ({ code, intent, slot }))).toEqual([
      { code: 'HANDLER_SLOT_UNKNOWN', intent: 'OrderPizza', slot: 'size' },
      { code: 'HANDLER_WITHOUT_INTENT', intent: 'OrderDrnk', slot: undefined },
      { code: 'NO_HANDLER', intent: 'OrderDrink', slot: undefined },
    ]);
  });

  it('calls an exported factory', async () => {
    const { code, stdout } = await run('check', model, '--extension', join(FIXTURES, 'factory.ts'));
    expect(stdout).toContain('✓ OrderPizza\n✓ OrderDrink\n');
    expect(code).toBe(0);
  });

  it("passes the order example's model with its extension, and tells the dice model from it", async () => {
    const order = await run(
      'check',
      join(EXAMPLES, 'models/order'),
      '--extension',
      join(EXAMPLES, 'order/extension.ts'),
    );
    expect(order.code).toBe(0);
    expect(order.stdout).toContain('✓ no problems');
    const dice = await run(
      'check',
      join(EXAMPLES, 'models/dice.json'),
      '--extension',
      join(EXAMPLES, 'order/extension.ts'),
    );
    expect(dice.code).toBe(1);
    expect(dice.stdout).toContain(
      '✗ ThrowDiceIntent\n    error   Intent "ThrowDiceIntent" of the interaction model has no handler',
    );
    const own = await run(
      'check',
      join(EXAMPLES, 'models/dice.json'),
      '--extension',
      join(EXAMPLES, 'dice/extension.ts'),
    );
    expect(own.code).toBe(0);
  });

  it('refuses a module that serves when imported, without serving it', async () => {
    const { code, stderr } = await run('check', model, '--extension', join(FIXTURES, 'serves.ts'));
    expect(code).toBe(2);
    expect(stderr).toContain('calls serve() when imported');
    // The session that stopped it is closed again.
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('cekit.devSession')]).toBeUndefined();
  });

  it('says what to export when the module has no Custom extension, and names a missing module', async () => {
    const endpoint = await run('check', model, '--extension', join(FIXTURES, 'endpoint-only.ts'));
    expect(endpoint.code).toBe(2);
    expect(endpoint.stderr).toContain('exports no Custom extension');
    const missing = await run('check', model, '--extension', 'nowhere.ts');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--extension nowhere.ts: no such module');
    const wrongExport = await run(
      'check',
      model,
      '--extension',
      join(FIXTURES, 'extension.ts'),
      '--export',
      'notAnExtension',
    );
    expect(wrongExport.code).toBe(2);
  });
});
