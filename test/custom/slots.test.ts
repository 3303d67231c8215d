import { describe, expect, it } from 'vitest';
import { parseDateTimeSlot, parseDuration, parseNumber, SlotView } from 'cekit';
import { fixture, intentRequest, send, testExtension } from './harness.js';

describe('built-in slot value parsers (spec interaction-model.md §4)', () => {
  it.each([
    ['03:00:00', { type: 'TIME', hour: 3, minute: 0, second: 0, secondOfDay: 10800 }],
    ['2018-08-10', { type: 'DATE', year: 2018, month: 8, day: 10 }],
  ])('parses %s', (input, expected) => {
    expect(parseDateTimeSlot(input)).toMatchObject({ ...expected, text: input });
  });

  it('parses a DATETIME into an instant with its offset', () => {
    const value = parseDateTimeSlot('2018-08-10T03:00:00+09:00');
    expect(value).toMatchObject({ type: 'DATETIME', offset: '+09:00' });
    expect(value?.type === 'DATETIME' && value.date.toISOString()).toBe('2018-08-09T18:00:00.000Z');
  });

  it('computes the instant for any offset and fraction, and refuses impossible dates', () => {
    const instant = (text: string) => {
      const value = parseDateTimeSlot(text);
      return value?.type === 'DATETIME' ? value.date.toISOString() : undefined;
    };
    expect(instant('2018-08-10T03:00:00Z')).toBe('2018-08-10T03:00:00.000Z');
    expect(instant('2018-08-10T03:00:00-05:30')).toBe('2018-08-10T08:30:00.000Z');
    expect(instant('2018-12-31T23:59:59.5+09:00')).toBe('2018-12-31T14:59:59.500Z');
    expect(instant('2018-02-30T03:00:00+09:00')).toBeUndefined();
    expect(instant('2018-08-10T24:00:00+09:00')).toBeUndefined();
  });

  it('parses intervals, including the 24:00:00 end of day periods', () => {
    const night = parseDateTimeSlot('18:00:00/24:00:00');
    expect(night).toMatchObject({
      type: 'TIME.INTERVAL',
      start: { hour: 18 },
      end: { hour: 24, secondOfDay: 86400 },
    });
    expect(parseDateTimeSlot('2018-09-01/2018-11-30')).toMatchObject({ type: 'DATE.INTERVAL' });
    // The JP reference labels this DATE.INTERVAL; cekit reads the shape from the text.
    expect(parseDateTimeSlot('2018-08-11T11:00:00+09:00/2018-08-09T13:00:00+09:00')).toMatchObject({
      type: 'DATETIME.INTERVAL',
    });
  });

  it.each(['2018-02-30', '25:00:00', '12:60:00', 'tomorrow', '03:00:00/2018-08-10', ''])(
    'refuses %j',
    (input) => {
      expect(parseDateTimeSlot(input)).toBeUndefined();
    },
  );

  it.each([
    ['P5D', { days: 5, totalSeconds: 432000 }],
    ['PT34M', { minutes: 34, totalSeconds: 2040 }],
    ['PT2H5M25S', { hours: 2, minutes: 5, seconds: 25, totalSeconds: 7525 }],
    ['P1W', { weeks: 1, totalSeconds: 604800 }],
    ['P1M', { months: 1, totalSeconds: undefined }],
  ])('parses the duration %s', (input, expected) => {
    expect(parseDuration(input)).toMatchObject(expected);
  });

  it.each(['P', 'PT', '5D', 'P1H'])('refuses the duration %j', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it.each([
    ['01234567', 1234567],
    ['-2.5', -2.5],
    [3, 3],
    ['３', 3],
    ['1,000', 1000],
  ] as const)('parses the number %j', (input, expected) => {
    expect(parseNumber(input)).toBe(expected);
  });

  it.each(['three', '', '1.2.3', null])('refuses the number %j', (input) => {
    expect(parseNumber(input)).toBeUndefined();
  });

  it('exposes value, valueType and unit on a slot view', () => {
    const slot = new SlotView({ name: 'price', value: '10000', unit: 'JPY' });
    expect([slot.value, slot.unit, slot.valueType]).toEqual(['10000', 'JPY', undefined]);
    expect(slot.amount()).toEqual({ value: 10000, unit: 'JPY' });
  });
});

describe('declared slots in intent handlers', () => {
  it('parses the fixture slot types end to end', async () => {
    const app = testExtension();
    let seen: unknown;
    app.intent(
      'TravelPlan',
      {
        slots: { TravelDate: 'datetime', TravelPeriod: 'duration', roomCharge: 'amount', missing: 'number' },
      },
      (ctx) => {
        seen = ctx.slots;
        ctx.say('ok');
      },
    );
    await send(app, fixture('intent-request-builtin-slot-values'));
    expect(seen).toMatchObject({
      TravelDate: { type: 'DATETIME', offset: '+09:00' },
      TravelPeriod: { days: 5 },
      roomCharge: { value: 10000, unit: 'JPY' },
      missing: undefined,
    });
  });

  it('gives undefined for a value that does not parse, with the raw slot still readable', async () => {
    const app = testExtension();
    app.intent('Roll', { slots: { count: 'number' } }, (ctx) =>
      ctx.say(`${ctx.slots.count ?? 'none'} / ${ctx.slot('count')?.value}`),
    );
    const { json } = await send(app, intentRequest('Roll', { count: { value: 'たくさん' } }));
    expect(json.response.outputSpeech.values.value).toBe('none / たくさん');
  });

  it('reads numbers sent as JSON numbers (SDK fixture)', async () => {
    const app = testExtension({ extensionId: 'com.yourdomain.extension.pizzabot' });
    app.intent('OrderPizza', { slots: { pizzaNum: 'number', when: 'datetime' } }, (ctx) =>
      ctx.say(`${ctx.slots.pizzaNum} ${ctx.slots.when?.type}`),
    );
    const { json } = await send(app, fixture('intent-request-slot-types'));
    expect(json.response.outputSpeech.values.value).toBe('3 TIME.INTERVAL');
  });
});
