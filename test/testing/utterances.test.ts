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
    const withFallback = createResolver({ ...model, fallbackIntent: true });
    expect(withFallback.resolve('what is the weather')).toMatchObject({ intent: 'Clova.FallbackIntent' });
  });
});
