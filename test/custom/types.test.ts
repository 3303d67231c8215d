import { describe, expectTypeOf, it } from 'vitest';
import {
  createExtension,
  type Amount,
  type CalendarDate,
  type DateTimeSlotValue,
  type Duration,
  type IntentRequest,
  type SlotView,
} from 'cekit';

// Type-level tests: handlers are typed by registration, with no casts in user code.
const app = createExtension<{ session: { step: 'size' | 'confirm' }; user: { visits: number } }>({
  extensionId: 'com.example',
  verify: false,
});

describe('handler types', () => {
  it('types declared slots by kind, and custom parsers by their return type', () => {
    app.intent(
      'Order',
      {
        slots: {
          count: 'number',
          price: 'amount',
          when: 'datetime',
          day: 'date',
          stay: 'duration',
          kind: 'string',
          size: (slot: SlotView): 'L' | 'M' | undefined =>
            slot.value === 'L' || slot.value === 'M' ? slot.value : undefined,
        },
      },
      (ctx) => {
        expectTypeOf(ctx.slots.count).toEqualTypeOf<number | undefined>();
        expectTypeOf(ctx.slots.price).toEqualTypeOf<Amount | undefined>();
        expectTypeOf(ctx.slots.when).toEqualTypeOf<DateTimeSlotValue | undefined>();
        expectTypeOf(ctx.slots.day).toEqualTypeOf<CalendarDate | undefined>();
        expectTypeOf(ctx.slots.stay).toEqualTypeOf<Duration | undefined>();
        expectTypeOf(ctx.slots.kind).toEqualTypeOf<string | undefined>();
        expectTypeOf(ctx.slots.size).toEqualTypeOf<'L' | 'M' | undefined>();
        // @ts-expect-error: undeclared slots are not on ctx.slots
        void ctx.slots.colour;
        expectTypeOf(ctx.intent).toMatchTypeOf<IntentRequest['intent']>();
        expectTypeOf(ctx.intent.name).toEqualTypeOf<'Order'>();
        expectTypeOf(ctx.request.type).toEqualTypeOf<'IntentRequest'>();
      },
    );
  });

  it('narrows events by name and by namespace wildcard', () => {
    app.event('AudioPlayer.PlayFinished', (ctx) => {
      expectTypeOf(ctx.event.payload.token).toEqualTypeOf<string>();
      expectTypeOf(ctx.event.name).toEqualTypeOf<'PlayFinished'>();
    });
    app.event('AudioPlayer.PlayStopped', (ctx) => {
      expectTypeOf(ctx.event.payload.token).toEqualTypeOf<string | undefined>();
    });
    app.event('SpeechSynthesizer.*', (ctx) => {
      expectTypeOf(ctx.event.namespace).toEqualTypeOf<'SpeechSynthesizer'>();
      expectTypeOf(ctx.event.payload.token).toEqualTypeOf<string>();
    });
    app.event('ClovaSkill.SkillEnabled', (ctx) => {
      expectTypeOf(ctx.event.payload).toEqualTypeOf<Record<string, unknown> | null>();
    });
  });

  it('types session and user attributes from the type parameter, honestly partial', () => {
    app.launch(async (ctx) => {
      expectTypeOf(ctx.session.step).toEqualTypeOf<'size' | 'confirm' | undefined>();
      const user = await ctx.user.load();
      expectTypeOf(user.visits).toEqualTypeOf<number | undefined>();
      expectTypeOf(ctx.request.type).toEqualTypeOf<'LaunchRequest'>();
    });
  });

  it('narrows with a type-guard predicate', () => {
    app.on(
      (ctx): ctx is typeof ctx & { intent: IntentRequest['intent'] } => ctx.intent !== undefined,
      (ctx) => {
        expectTypeOf(ctx.intent.name).toEqualTypeOf<string>();
      },
    );
  });
});
