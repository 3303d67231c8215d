import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createExtension, silentLogger } from 'cekit';
import {
  createResolver,
  defineInteractionModel,
  lintInteractionModel,
  loadInteractionModel,
  ModelError,
  readModelJson,
  type ModelJson,
  type ModelProblem,
} from 'cekit/testing';
import { BUILTIN_SLOT_TYPES } from 'cekit';
import { builtinExample } from '../../src/testing/model-lint.js';

const models = (name: string) => fileURLToPath(new URL(`../../examples/models/${name}`, import.meta.url));
const lint = (json: unknown, options?: Parameters<typeof lintInteractionModel>[1]) =>
  lintInteractionModel(json as ModelJson, options);
const codes = (problems: readonly ModelProblem[]) => problems.map((problem) => problem.code);
const only = (problems: readonly ModelProblem[], code: string) => problems.filter((p) => p.code === code);

describe('lintInteractionModel: errors', () => {
  it('collects every problem instead of stopping at the first', () => {
    const problems = lint({
      intents: [
        {
          name: 'ThrowDiceIntent',
          slots: { diceCount: 'CLOVA.NUMBR', sides: 'NUMBER' },
          samples: ['roll {diceCont} dice', 'roll {sides} and {sides}', '<sides>6</side> sided'],
        },
        { name: 'ThrowDiceIntent', samples: ['again'] },
        { name: 'Empty', samples: [] },
      ],
    });
    expect(codes(problems)).toEqual([
      'SLOT_TYPE_UNKNOWN',
      'SLOT_TYPE_UNKNOWN',
      'SLOT_UNDECLARED',
      'SLOT_REPEATED',
      'SLOT_MARKER_BROKEN',
      'SLOT_UNUSED',
      'DUPLICATE_INTENT',
      'INTENT_NO_SAMPLES',
    ]);
    expect(problems.every((problem) => problem.severity === 'error' || problem.code === 'SLOT_UNUSED')).toBe(
      true,
    );
  });

  it('names the built-in type a slot type misspells, with or without CLOVA.', () => {
    const [numbr, number] = lint({
      intents: [{ name: 'A', slots: { a: 'CLOVA.NUMBR', b: 'NUMBER' }, samples: ['{a} {b}'] }],
    });
    expect(numbr).toEqual({
      code: 'SLOT_TYPE_UNKNOWN',
      severity: 'error',
      intent: 'A',
      slot: 'a',
      message: 'Intent A: slot "a" has unknown built-in slot type CLOVA.NUMBR. Did you mean "CLOVA.NUMBER"?',
    });
    expect(number).toMatchObject({ code: 'SLOT_TYPE_UNKNOWN', slot: 'b' });
    expect(number!.message).toMatch(/unknown type NUMBER: .*Did you mean "CLOVA.NUMBER"\?/);
  });

  it('reports an unknown custom slot type with the closest defined one', () => {
    const problems = lint({
      intents: [{ name: 'A', slots: { c: 'COLOUR' }, samples: ['{c}にして'] }],
      slotTypes: { COLOR: [['赤']] },
    });
    expect(only(problems, 'SLOT_TYPE_UNKNOWN')[0]!.message).toMatch(
      /unknown type COLOUR: the model defines COLOR .*Did you mean "COLOR"\?/,
    );
  });

  it('reports a sample with an undeclared slot, with a did-you-mean', () => {
    const [problem] = lint({
      intents: [
        { name: 'A', slots: { diceCount: 'CLOVA.NUMBER' }, samples: ['roll {diceCont}', '{diceCount}'] },
      ],
    });
    expect(problem).toMatchObject({
      code: 'SLOT_UNDECLARED',
      intent: 'A',
      slot: 'diceCont',
      sample: 'roll {diceCont}',
    });
    expect(problem!.message).toContain('Did you mean "diceCount"?');
  });

  it('reports CLOVA.DATETIME with CLOVA.DATETIME_RECENT in one intent', () => {
    const problems = lint({
      intents: [
        { name: 'A', slots: { a: 'CLOVA.DATETIME', b: 'CLOVA.DATETIME_RECENT' }, samples: ['{a}から{b}'] },
      ],
    });
    expect(codes(problems)).toEqual(['DATETIME_CONFLICT']);
  });

  it('reports the shape problems defineInteractionModel refuses', () => {
    expect(codes(lint({}))).toEqual(['INVALID_SHAPE']);
    expect(codes(lint({ intents: [{ name: 'A', sample: ['hi'] }] }))).toEqual([
      'UNKNOWN_KEY',
      'INTENT_NO_SAMPLES',
    ]);
    expect(
      codes(
        lint({
          intents: [{ name: 'A', slots: { x: 3 }, samples: ['hi'] }],
          slotTypes: { 'CLOVA.COLOR': [['red']], SIZE: [[''], 'large'] },
        }),
      ),
    ).toEqual([
      'SLOT_TYPE_RESERVED',
      'SLOT_TYPE_EMPTY_ENTRY',
      'INVALID_SHAPE',
      'SLOT_TYPE_MISSING',
      'SLOT_UNUSED',
      'SLOT_TYPE_UNUSED',
    ]);
  });

  it('reports one sentence in two intents, after normalisation and whatever the slot names', () => {
    const problems = lint({
      intents: [
        { name: 'Roll', slots: { n: 'CLOVA.NUMBER' }, samples: ['Roll {n} dice!'] },
        { name: 'Throw', slots: { count: 'CLOVA.NUMBER' }, samples: ['roll  {count} dice'] },
      ],
    });
    expect(problems).toEqual([
      {
        code: 'DUPLICATE_SAMPLE',
        severity: 'error',
        intent: 'Throw',
        sample: 'roll  {count} dice',
        message:
          'Intent Throw: sample "roll  {count} dice" is the same sentence as sample "Roll {n} dice!" of intent Roll: CEK cannot tell the two intents apart',
      },
    ]);
    // Slots of different types are different sentences.
    expect(
      lint({
        intents: [
          { name: 'Roll', slots: { n: 'CLOVA.NUMBER' }, samples: ['roll {n}'] },
          { name: 'Go', slots: { when: 'CLOVA.DATETIME' }, samples: ['roll {when}'] },
        ],
      }),
    ).not.toContainEqual(expect.objectContaining({ code: 'DUPLICATE_SAMPLE' }));
  });
});

describe('lintInteractionModel: warnings', () => {
  it('warns when a sample, said with its slot values, resolves to another intent', () => {
    const problems = lint({
      intents: [
        { name: 'OrderPizza', slots: { pizza: 'PIZZA' }, samples: ['{pizza}をください'] },
        { name: 'OrderUsual', samples: ['ペパロニをください'] },
      ],
      slotTypes: { PIZZA: [['ペパロニ'], ['チーズ']] },
    });
    expect(problems).toEqual([
      {
        code: 'CONFLICTING_SAMPLE',
        severity: 'warning',
        intent: 'OrderPizza',
        sample: '{pizza}をください',
        message:
          'Intent OrderPizza: sample "{pizza}をください" (said as "ペパロニをください") resolves to intent OrderUsual (its sample "ペパロニをください")',
      },
    ]);
  });

  it("fills a slot with its tag's example, and warns when the slot type does not read it", () => {
    const problems = lint({
      intents: [
        { name: 'OrderPizza', slots: { pizza: 'PIZZA' }, samples: ['<pizza>ペペロニ</pizza>をください'] },
      ],
      slotTypes: { PIZZA: [['ペパロニ'], ['チーズ']] },
    });
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'SLOT_EXAMPLE_INVALID',
        severity: 'warning',
        slot: 'pizza',
        message: expect.stringContaining(
          'tags "ペペロニ" as slot pizza, which is not a PIZZA value. Did you mean "ペパロニ"?',
        ),
      }),
    ]);
    // A tagged example that its type reads is said as written: "2枚" is CLOVA.NUMBER's, 2 with a unit.
    const tagged = lint({
      intents: [
        { name: 'Count', slots: { n: 'CLOVA.NUMBER' }, samples: ['<n>2枚</n>'] },
        { name: 'Sheets', samples: ['2枚'] },
      ],
    });
    expect(codes(tagged)).toEqual(['CONFLICTING_SAMPLE']);
    expect(tagged[0]!.message).toContain('(said as "2枚")');
  });

  it('warns when a filled sample resolves to no intent at all', () => {
    // The only word of MARK is normalised away, so the sample can never match.
    const problems = lint({
      intents: [{ name: 'A', slots: { m: 'MARK' }, samples: ['{m}ください'] }],
      slotTypes: { MARK: [['・']] },
    });
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'SAMPLE_UNRESOLVED',
        severity: 'warning',
        intent: 'A',
        message: expect.stringContaining('resolves to Clova.GuideIntent in the simulator'),
      }),
    ]);
  });

  it('warns about repeated samples, unused slots, empty and unused slot types, ambiguous synonyms', () => {
    const problems = lint({
      intents: [
        {
          name: 'Paint',
          slots: { color: 'COLOR', size: 'CLOVA.NUMBER' },
          samples: ['{color}に塗って', '{color}に塗って。', '<color>赤</color>に塗って'],
        },
      ],
      slotTypes: {
        COLOR: [
          ['赤', 'レッド'],
          ['紅', '赤'],
        ],
        SHAPE: [],
      },
    });
    expect(codes(problems)).toEqual([
      'SLOT_UNUSED',
      'SYNONYM_AMBIGUOUS',
      'SLOT_TYPE_UNUSED',
      'SLOT_TYPE_EMPTY',
      'REPEATED_SAMPLE',
      'REPEATED_SAMPLE',
    ]);
    expect(problems.every((problem) => problem.severity === 'warning')).toBe(true);
    expect(only(problems, 'SLOT_UNUSED')[0]).toMatchObject({ intent: 'Paint', slot: 'size' });
    expect(only(problems, 'SYNONYM_AMBIGUOUS')[0]!.message).toBe(
      'Slot type COLOR: "赤" is listed under both "赤" and "紅"; it is read as "赤"',
    );
  });

  it('says every built-in slot type with a value its type reads', () => {
    for (const type of [...BUILTIN_SLOT_TYPES, 'CLOVA.KO_ADDRESS_SIDO']) {
      const example = builtinExample(type);
      expect(example, type).toBeDefined();
      const resolver = createResolver(
        defineInteractionModel({ intents: [{ name: 'Probe', slots: { x: type }, samples: ['{x}'] }] }),
      );
      expect(resolver.resolve(example!), `${type}: ${example}`).toMatchObject({
        intent: 'Probe',
        via: 'sample',
      });
    }
  });
});

describe('lintInteractionModel with an extension', () => {
  const json: ModelJson = {
    intents: [
      { name: 'OrderPizza', slots: { pizzaType: 'PIZZA_TYPE' }, samples: ['{pizzaType}をください'] },
      { name: 'OrderDrink', samples: ['飲み物をください'] },
    ],
    slotTypes: { PIZZA_TYPE: [['ペパロニ']] },
  };

  it('reports intents without a handler, handlers without an intent, and handler slots the model lacks', () => {
    const warnings: unknown[] = [];
    const logger = { ...silentLogger, warn: (...args: unknown[]) => warnings.push(args) };
    const app = createExtension({ extensionId: 'com.example.lint', logger })
      .intent('OrderPizza', { slots: { pizzaTyp: 'string' } }, (ctx) => ctx.say('OK'))
      .intent('OrderDrnk', (ctx) => ctx.say('OK'))
      .intent('Clova.GuideIntent', (ctx) => ctx.say('help'));
    const problems = lint(json, { extension: app });
    expect(problems).toEqual([
      {
        code: 'HANDLER_SLOT_UNKNOWN',
        severity: 'error',
        intent: 'OrderPizza',
        slot: 'pizzaTyp',
        message: expect.stringMatching(
          /^Intent "OrderPizza" declares slot "pizzaTyp".*Did you mean "pizzaType"\?$/,
        ),
      },
      {
        code: 'HANDLER_WITHOUT_INTENT',
        severity: 'warning',
        intent: 'OrderDrnk',
        message:
          'The handler for intent "OrderDrnk" never runs: the interaction model has no such intent. Did you mean "OrderDrink"?',
      },
      {
        code: 'NO_HANDLER',
        severity: 'error',
        intent: 'OrderDrink',
        message: expect.stringMatching(
          /^Intent "OrderDrink" of the interaction model has no handler.*Did you mean "OrderDrnk"\?$/,
        ),
      },
    ]);
    // The lint reports; it does not also log through the extension's logger.
    expect(warnings).toEqual([]);
  });

  it('is silent when the handlers match the model', () => {
    const app = createExtension({ extensionId: 'com.example.lint', logger: silentLogger })
      .intent('OrderPizza', { slots: { pizzaType: 'string' } }, (ctx) => ctx.say('OK'))
      .intent('OrderDrink', (ctx) => ctx.say('OK'));
    expect(lint(json, { extension: app })).toEqual([]);
  });
});

describe('the same rules as defineInteractionModel', () => {
  const refused: unknown[] = [
    { intents: [{ name: 'A', samples: ['{x} please'] }] },
    { intents: [{ name: 'A', slots: { n: 'CLOVA.NUMBR' }, samples: ['{n}', '{m}'] }] },
    { intents: [{ name: 'A', slots: { n: 'CLOVA.NUMBER' }, samples: ['<n>2</m>枚', '{n} and {n}'] }] },
    {
      intents: [
        { name: 'A', samples: ['a'] },
        { name: 'A', samples: ['b'] },
      ],
      slotType: {},
    },
    { intents: [], slotTypes: { COLOR: ['red', 'blue'] }, fallbackIntent: 'yes' },
  ];

  it("throws the linter's first error, with the message it always had", () => {
    for (const json of refused) {
      const first = lint(json).find((problem) => problem.severity === 'error')!;
      expect(() => defineInteractionModel(json as ModelJson)).toThrow(new ModelError(first.message));
    }
    expect(() => defineInteractionModel(refused[0] as ModelJson)).toThrow(
      new ModelError('Intent A: sample "{x} please" uses undeclared slot "x"'),
    );
  });

  it('does not refuse what only the linter reports (an intent without samples, a duplicate sentence)', () => {
    const json = {
      intents: [
        { name: 'A', samples: ['hello'] },
        { name: 'B', samples: ['Hello!'] },
        { name: 'C', samples: [] },
      ],
    };
    expect(codes(lint(json))).toEqual(['INTENT_NO_SAMPLES', 'DUPLICATE_SAMPLE']);
    expect(defineInteractionModel(json).intents.map((intent) => intent.name)).toEqual(['A', 'B', 'C']);
  });
});

describe('readModelJson', () => {
  it('reads a TSV folder whole, so the linter sees every problem loadInteractionModel stops at', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'cekit-lint-'));
    try {
      await mkdir(join(folder, 'intents'));
      await mkdir(join(folder, 'slot-types'));
      await writeFile(
        join(folder, 'intents', 'OrderPizza.tsv'),
        '[INTENT SLOT]\npizzaType\tPIZA_TYPE\namount\tCLOVA.NUMBER\n[INTENT EXPRESSION]\n<pizzaType>ペパロニ</pizzaType>を<amont>2枚</amont>\n',
      );
      await writeFile(join(folder, 'slot-types', 'PIZZA_TYPE.tsv'), 'ペパロニ\tペパロニピザ\n');
      const json = await readModelJson(folder);
      expect(json.intents[0]).toMatchObject({ name: 'OrderPizza', slots: { pizzaType: 'PIZA_TYPE' } });
      await expect(loadInteractionModel(folder)).rejects.toThrow(/unknown type PIZA_TYPE/);
      expect(codes(lint(json))).toEqual([
        'SLOT_TYPE_UNKNOWN',
        'SLOT_UNDECLARED',
        'SLOT_UNUSED',
        'SLOT_TYPE_UNUSED',
      ]);
      expect(only(lint(json), 'SLOT_UNDECLARED')[0]!.message).toContain('Did you mean "amount"?');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('throws a ModelError for a file that is not JSON', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'cekit-lint-'));
    try {
      await writeFile(join(folder, 'model.json'), '{ "intents": [ }');
      await expect(readModelJson(join(folder, 'model.json'))).rejects.toThrow(ModelError);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('finds nothing in the models shipped in examples/models', async () => {
    for (const name of ['dice.json', 'dice-tsv', 'pizza-tsv', 'order'])
      expect(lint(await readModelJson(models(name))), name).toEqual([]);
  });
});
