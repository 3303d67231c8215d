import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import {
  createResolver,
  defineInteractionModel,
  loadInteractionModel,
  ModelError,
  parseIntentTsv,
  parseSlotTypeTsv,
} from 'cekit/testing';

const models = (name: string) => fileURLToPath(new URL(`../../examples/models/${name}`, import.meta.url));

describe('interaction model', () => {
  it('reads the console intent TSV (spec interaction-model.md §2.1)', () => {
    const intent = parseIntentTsv(
      'Echo',
      '[INTENT SLOT]\nnumber\tCLOVA.NUMBER\n\n[INTENT EXPRESSION]\n<number>1</number>\n<number>2</number>って言って\n',
    );
    expect(intent).toEqual({
      name: 'Echo',
      slots: { number: 'CLOVA.NUMBER' },
      samples: ['<number>1</number>', '<number>2</number>って言って'],
    });
  });

  it('reads the console slot type TSV (§2.2)', () => {
    expect(parseSlotTypeTsv('ペパロニ\tペパロニピザ\nチーズ\n')).toEqual([
      ['ペパロニ', 'ペパロニピザ'],
      ['チーズ'],
    ]);
  });

  it('loads a folder of TSV files named like the SDK sample', async () => {
    const model = await loadInteractionModel(models('pizza-tsv'));
    expect(model.intents.map((i) => i.name)).toEqual(['OrderPizza']);
    expect(model.slotTypes['PIZZA_TYPE']).toContainEqual({
      value: 'バーベキュー',
      synonyms: ['バーベキューピザ', 'BBQピザ'],
    });
  });

  it('loads a folder with intents/<Name>.tsv, tagged examples becoming slot placeholders', async () => {
    const model = await loadInteractionModel(models('dice-tsv'));
    expect(model.intents[0]).toMatchObject({ name: 'ThrowDiceIntent', slots: { diceCount: 'CLOVA.NUMBER' } });
    expect(createResolver(model).resolve('サイコロを5個振って')).toMatchObject({
      intent: 'ThrowDiceIntent',
      slots: { diceCount: { value: '5', unit: '個' } },
    });
  });

  it('refuses undeclared slots and unknown slot types with a clear message', () => {
    expect(() => defineInteractionModel({ intents: [{ name: 'A', samples: ['{x} please'] }] })).toThrow(
      new ModelError('Intent A: sample "{x} please" uses undeclared slot "x"'),
    );
    expect(() =>
      defineInteractionModel({ intents: [{ name: 'A', slots: { x: 'COLOR' }, samples: ['{x}'] }] }),
    ).toThrow(/unknown type COLOR/);
  });

  it('refuses an unknown built-in slot type, naming the intent, the slot and the closest type', () => {
    const model = (type: string) => ({
      intents: [{ name: 'ThrowDiceIntent', slots: { diceCount: type }, samples: ['roll {diceCount} dice'] }],
    });
    expect(() => defineInteractionModel(model('CLOVA.NUMBR'))).toThrow(
      new ModelError(
        'Intent ThrowDiceIntent: slot "diceCount" has unknown built-in slot type CLOVA.NUMBR. Did you mean "CLOVA.NUMBER"?',
      ),
    );
    expect(() => defineInteractionModel(model('CLOVA.DATE_TIME'))).toThrow(/Did you mean "CLOVA.DATETIME"\?/);
    expect(() => defineInteractionModel(model('CLOVA.SOMETHING_ELSE'))).toThrow(
      /unknown built-in slot type CLOVA\.SOMETHING_ELSE\. See the built-in types/,
    );
    // Every type of spec §4.1/§4.2 loads, and the KR address family by its prefix.
    for (const type of ['CLOVA.NUMBER', 'CLOVA.UNIT_CURRENCY', 'CLOVA.CURRENCY', 'CLOVA.KO_ADDRESS_SIDO'])
      expect(() => defineInteractionModel(model(type)), type).not.toThrow();
  });

  it('refuses an unknown built-in slot type in the console TSV form too', () => {
    const intent = parseIntentTsv(
      'Echo',
      '[INTENT SLOT]\nnumber\tCLOVA.NUMBR\n[INTENT EXPRESSION]\n<number>1</number>って言って\n',
    );
    expect(() => defineInteractionModel({ intents: [intent] })).toThrow(
      'Intent Echo: slot "number" has unknown built-in slot type CLOVA.NUMBR. Did you mean "CLOVA.NUMBER"?',
    );
  });

  it('suggests the closest defined custom slot type', () => {
    expect(() =>
      defineInteractionModel({
        intents: [{ name: 'OrderPizza', slots: { pizzaType: 'PIZA_TYPE' }, samples: ['{pizzaType}'] }],
        slotTypes: { PIZZA_TYPE: [['pepperoni']], SIZE: [['large']] },
      }),
    ).toThrow(
      new ModelError(
        'Intent OrderPizza: slot "pizzaType" has unknown type PIZA_TYPE: the model defines PIZZA_TYPE, SIZE ' +
          'and it is not a built-in CLOVA.* type. Did you mean "PIZZA_TYPE"?',
      ),
    );
  });

  it('suggests the built-in type a custom type name lacks the CLOVA. prefix of', () => {
    expect(() =>
      defineInteractionModel({ intents: [{ name: 'A', slots: { n: 'NUMBER' }, samples: ['{n}'] }] }),
    ).toThrow(/slot "n" has unknown type NUMBER: .*Did you mean "CLOVA.NUMBER"\?/);
  });

  it('refuses what it used to accept silently', () => {
    const refuse = (json: unknown, message: RegExp | string) =>
      expect(() => defineInteractionModel(json as Parameters<typeof defineInteractionModel>[0])).toThrow(
        message,
      );
    // A misspelt key was ignored, leaving an intent without samples.
    refuse(
      { intents: [{ name: 'A', sample: ['hello'] }] },
      /Intent A: unknown key "sample".*Did you mean "samples"\?/,
    );
    refuse({ intents: [], slotType: {} }, /unknown key "slotType".*Did you mean "slotTypes"\?/);
    refuse({ intents: [], fallbackIntent: 'yes' }, /"fallbackIntent" must be true or false/);
    // A second intent of the same name.
    refuse(
      {
        intents: [
          { name: 'A', samples: ['a'] },
          { name: 'A', samples: ['b'] },
        ],
      },
      'Intent A is defined twice',
    );
    // A broken tag was matched as literal text.
    refuse(
      { intents: [{ name: 'A', slots: { n: 'CLOVA.NUMBER' }, samples: ['<n>2</m>枚'] }] },
      'Intent A: sample "<n>2</m>枚" has a broken slot marker "<n>" (write {slot} or <slot>example</slot>)',
    );
    refuse(
      { intents: [{ name: 'A', slots: { n: 'CLOVA.NUMBER' }, samples: ['roll {n dice'] }] },
      /broken slot marker/,
    );
    // The same slot twice in one sample: the second value overwrote the first.
    refuse(
      { intents: [{ name: 'A', slots: { n: 'CLOVA.NUMBER' }, samples: ['{n} and {n}'] }] },
      'Intent A: sample "{n} and {n}" uses slot "n" twice',
    );
    // A misspelt slot in a sample now gets a suggestion.
    refuse(
      { intents: [{ name: 'A', slots: { diceCount: 'CLOVA.NUMBER' }, samples: ['roll {diceCont}'] }] },
      'Intent A: sample "roll {diceCont}" uses undeclared slot "diceCont" (declared: diceCount). Did you mean "diceCount"?',
    );
    // §4.1: DATETIME and DATETIME_RECENT cannot be used in the same intent.
    refuse(
      {
        intents: [
          { name: 'A', slots: { a: 'CLOVA.DATETIME', b: 'CLOVA.DATETIME_RECENT' }, samples: ['{a}{b}'] },
        ],
      },
      /CLOVA.DATETIME and CLOVA.DATETIME_RECENT cannot be used in the same intent/,
    );
    // A custom type named like a built-in one, a slot type that is not a name, entries that are not lists.
    refuse(
      { intents: [], slotTypes: { 'CLOVA.COLOR': [['red']] } },
      /CLOVA\.\* names belong to built-in slot types/,
    );
    refuse({ intents: [{ name: 'A', slots: { x: 3 }, samples: [] }] }, /slot "x" needs a slot type name/);
    refuse(
      { intents: [], slotTypes: { COLOR: ['red', 'blue'] } },
      /Slot type COLOR: entry "red" is not a list of words/,
    );
    // A TSV slot line declared twice or with extra cells.
    expect(() => parseIntentTsv('A', '[INTENT SLOT]\nn\tCLOVA.NUMBER\nn\tCLOVA.UNIT\n')).toThrow(
      'Intent A: slot "n" is declared twice',
    );
    expect(() => parseIntentTsv('A', '[INTENT SLOT]\nn\tCLOVA.NUMBER\textra\n')).toThrow(
      /needs name<TAB>type/,
    );
  });

  it('refuses a stray TSV file or a broken model.json in a model folder', async () => {
    const { mkdtemp, writeFile, mkdir } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const folder = await mkdtemp(join(tmpdir(), 'cekit-model-'));
    await mkdir(join(folder, 'intents'));
    await writeFile(join(folder, 'intents', 'Hello.tsv'), '[INTENT EXPRESSION]\nhello\n');
    await writeFile(join(folder, 'model.json'), '{ "fallbackIntent": true, }');
    await expect(loadInteractionModel(folder)).rejects.toThrow(/model\.json is not JSON/);
    await writeFile(join(folder, 'model.json'), '{ "fallbackIntents": true }');
    await expect(loadInteractionModel(folder)).rejects.toThrow(/Did you mean "fallbackIntent"\?/);
    await writeFile(join(folder, 'model.json'), '{ "fallbackIntent": true }');
    expect((await loadInteractionModel(folder)).fallbackIntent).toBe(true);
    await writeFile(join(folder, 'Hello.tsv'), '[INTENT EXPRESSION]\nhi\n');
    await expect(loadInteractionModel(folder)).rejects.toThrow(
      /Hello\.tsv in .*: name it <anything>_intent_/,
    );
  });

  it('loads every model shipped in examples/models', async () => {
    for (const name of ['dice.json', 'dice-tsv', 'pizza-tsv', 'order'])
      await expect(loadInteractionModel(models(name)), name).resolves.toBeDefined();
  });
});

describe('utterance resolver', () => {
  it('resolves English, Japanese, kanji and full-width numbers to the same slot value', async () => {
    const resolver = createResolver(await loadInteractionModel(models('dice.json')));
    for (const text of [
      'roll three dice',
      'Roll 3 dice.',
      'サイコロを3個振って',
      'サイコロを三個振って',
      '３個振って',
    ]) {
      expect(resolver.resolve(text), text).toMatchObject({
        intent: 'ThrowDiceIntent',
        via: 'sample',
        slots: { diceCount: { name: 'diceCount', value: '3' } },
      });
    }
    expect(resolver.resolve('サイコロを3個振って').slots.diceCount).toEqual({
      name: 'diceCount',
      value: '3',
      unit: '個',
    });
    expect(resolver.resolve('roll twenty one dice').slots.diceCount?.value).toBe('21');
    const korean = createResolver(
      defineInteractionModel({
        intents: [
          { name: 'ThrowDiceIntent', slots: { n: 'CLOVA.NUMBER' }, samples: ['주사위 {n} 개 던져줘'] },
        ],
      }),
    );
    expect(korean.resolve('주사위 세 개 던져줘').slots.n).toEqual({ name: 'n', value: '3' });
    expect(resolver.resolve('roll the dice')).toMatchObject({ intent: 'ThrowDiceIntent', slots: {} });
  });

  it('delivers the representative word for a synonym (§2.2) and the unit of a number (§4.1)', async () => {
    const resolver = createResolver(await loadInteractionModel(models('pizza-tsv')));
    expect(resolver.resolve('BBQピザ2枚注文して')).toMatchObject({
      intent: 'OrderPizza',
      slots: {
        pizzaType: { name: 'pizzaType', value: 'バーベキュー' },
        pizzaAmount: { name: 'pizzaAmount', value: '2', unit: '枚' },
      },
    });
  });

  it('prefers the more specific sample, deterministically', () => {
    const resolver = createResolver(
      defineInteractionModel({
        intents: [
          { name: 'Anything', slots: { q: 'CLOVA.WORLD_CITY' }, samples: ['{q}'] },
          { name: 'Weather', slots: { city: 'CLOVA.WORLD_CITY' }, samples: ['weather in {city}'] },
        ],
      }),
    );
    expect(resolver.resolve('Weather in Paris')).toMatchObject({
      intent: 'Weather',
      slots: { city: { value: 'paris' } },
    });
    expect(resolver.resolve('Paris')).toMatchObject({ intent: 'Anything' });
  });

  it('knows the built-in intents and the exit phrases', async () => {
    const resolver = createResolver(await loadInteractionModel(models('dice.json')));
    expect(resolver.resolve('help')).toMatchObject({ intent: 'Clova.GuideIntent', via: 'builtin' });
    expect(resolver.resolve('キャンセル')).toMatchObject({ intent: 'Clova.CancelIntent', via: 'builtin' });
    expect(resolver.resolve('終了して')).toMatchObject({ type: 'SessionEndedRequest', via: 'exit' });
  });

  it('falls back like CEK and explains the near misses', async () => {
    const model = await loadInteractionModel(models('dice.json'));
    const resolution = createResolver(model).resolve('roll many dice');
    expect(resolution).toMatchObject({ intent: 'Clova.GuideIntent', via: 'fallback' });
    expect(resolution.nearMisses[0]).toEqual({
      intent: 'ThrowDiceIntent',
      sample: 'roll {diceCount} dice',
      score: expect.any(Number) as number,
      reason: 'slot diceCount: "many" is not a CLOVA.NUMBER value',
    });
    expect(createResolver(model).resolve('roll 3').nearMisses[0]).toMatchObject({
      sample: 'roll {diceCount} dice',
      reason: 'expected "dice" after slot diceCount, the sentence has "3"',
    });
    const withFallback = createResolver({ ...model, fallbackIntent: true });
    expect(withFallback.resolve('what is the weather')).toMatchObject({ intent: 'Clova.FallbackIntent' });
  });
});

describe('near misses', () => {
  it('names the refused slot value, with the closest word of its type, when the rest of the sample fits', async () => {
    const resolver = createResolver(await loadInteractionModel(models('order')));
    const typo = resolver.resolve('ペパロにを2枚');
    expect(typo).toMatchObject({ intent: 'Clova.GuideIntent', via: 'fallback' });
    expect(typo.nearMisses[0]).toEqual({
      intent: 'OrderPizza',
      sample: '<pizzaType>ペパロニ</pizzaType>を<pizzaAmount>2枚</pizzaAmount>',
      score: expect.any(Number) as number,
      reason: 'slot pizzaType: "ペパロに" is not a PIZZA_TYPE value',
      suggestion: 'ペパロニ',
    });
    // Not a typo of any word: still the best near miss, without a suggestion.
    expect(resolver.resolve('ハワイアンを2枚').nearMisses[0]).toEqual({
      intent: 'OrderPizza',
      sample: '<pizzaType>ペパロニ</pizzaType>を<pizzaAmount>2枚</pizzaAmount>',
      score: expect.any(Number) as number,
      reason: 'slot pizzaType: "ハワイアン" is not a PIZZA_TYPE value',
    });
    // A sample that is only a slot does not claim every unknown sentence.
    expect(resolver.resolve('いつもので').nearMisses.map((miss) => miss.intent)).toEqual([
      'RepeatLastOrder',
      'RepeatLastOrder',
    ]);
  });

  it('suggests the built-in phrase a sentence is a typo of', async () => {
    const resolver = createResolver(await loadInteractionModel(models('dice.json')));
    expect(resolver.resolve('cancle').nearMisses[0]).toMatchObject({
      intent: 'Clova.CancelIntent',
      sample: 'cancel',
      suggestion: 'cancel',
    });
  });
});
