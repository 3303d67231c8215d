import {
  commandPairs,
  END_LINE,
  eventLine,
  intentLine,
  LAUNCH_LINE,
  type CommandValue,
} from '../command-line.js';
import type { ConsoleIntent, ConsoleState } from '../protocol.js';
import { field, fill, h, record } from './dom.js';

type Run = (line: string) => Promise<unknown>;

/** A form that runs a line on submit (Enter included) unless `line()` returns nothing. */
function form(line: () => string | undefined, run: Run, ...children: HTMLElement[]) {
  return h(
    'form',
    {
      onsubmit: (event: Event) => {
        event.preventDefault();
        const value = line();
        if (value) void run(value);
      },
    },
    ...children,
  );
}

/** The sentence box: only with a model, since CEK resolves sentences with it. */
function sentenceForm(state: ConsoleState, run: Run) {
  const input = h('input', { type: 'text', autocomplete: 'off', disabled: !state.model });
  const samples = state.model?.intents.flatMap((intent) => intent.samples).slice(0, 3) ?? [];
  return form(
    () => {
      const said = input.value.trim();
      if (said) input.value = '';
      input.focus();
      return said;
    },
    run,
    h(
      'div',
      { class: 'row' },
      field('Say something', input),
      h('button', { type: 'submit', disabled: !state.model }, 'Send'),
    ),
    h(
      'small',
      null,
      state.model
        ? samples.length
          ? `e.g. ${samples.map((sample) => `“${sample}”`).join(', ')}`
          : undefined
        : 'Typed sentences need an interaction model: restart with --model <file or folder>. Meanwhile, send intents below.',
    ),
  );
}

/** Intent and slots: picked from the model, or typed freely without one. */
function intentForm(state: ConsoleState, run: Run) {
  const slots = h('div', { class: 'slots' });
  const intents = state.model?.intents;
  if (intents) {
    const select = h(
      'select',
      null,
      intents.map((intent) => h('option', { value: intent.name }, intent.name)),
    );
    const inputs = new Map<string, HTMLInputElement>();
    const draw = () => {
      const intent: ConsoleIntent | undefined = intents.find((candidate) => candidate.name === select.value);
      inputs.clear();
      fill(
        slots,
        intent?.slots.map((slot) => {
          const input = h('input', { type: 'text', placeholder: slot.type, autocomplete: 'off' });
          if (slot.values.length) {
            const list = h(
              'datalist',
              { id: `values-${intent.name}-${slot.name}` },
              slot.values.map((value) => h('option', { value })),
            );
            input.setAttribute('list', list.id);
            slots.append(list);
          }
          inputs.set(slot.name, input);
          return field(slot.name, input);
        }),
        intent?.samples.length
          ? h('small', null, `Samples: ${intent.samples.map((s) => `“${s}”`).join(', ')}`)
          : null,
      );
    };
    select.addEventListener('change', draw);
    draw();
    return form(
      () =>
        intentLine(
          select.value,
          Object.fromEntries([...inputs].map(([name, input]) => [name, input.value.trim()])),
        ),
      run,
      field('Intent', select),
      slots,
      h('button', { type: 'submit' }, 'Send intent'),
    );
  }
  const name = h('input', {
    type: 'text',
    autocomplete: 'off',
    placeholder: 'Clova.GuideIntent',
    required: true,
  });
  const rows: [HTMLInputElement, HTMLInputElement][] = [];
  const addRow = () => {
    const row: [HTMLInputElement, HTMLInputElement] = [
      h('input', { type: 'text', autocomplete: 'off' }),
      h('input', { type: 'text', autocomplete: 'off' }),
    ];
    rows.push(row);
    slots.append(h('div', { class: 'row' }, field('Slot name', row[0]), field('Slot value', row[1])));
  };
  addRow();
  return form(
    () => {
      const pairs = rows
        .filter(([slot]) => slot.value.trim())
        .map(([slot, value]) => [slot.value.trim(), value.value]);
      return name.value.trim() ? intentLine(name.value.trim(), Object.fromEntries(pairs)) : undefined;
    },
    run,
    field('Intent', name),
    h('small', null, 'No --model: any intent name, and slots as name = value.'),
    slots,
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', class: 'small', onclick: addRow }, 'Add slot'),
      h('button', { type: 'submit' }, 'Send intent'),
    ),
  );
}

/** A payload's top-level scalars as `key=value` text: what the command line can override. */
const scalarFields = (payload: Record<string, unknown> | null) =>
  commandPairs(
    Object.fromEntries(
      Object.entries(payload ?? {}).filter((entry): entry is [string, CommandValue] =>
        ['string', 'number', 'boolean'].includes(typeof entry[1]),
      ),
    ),
  ).trim();

/** Documented client events, sent with their default payload and the fields the user edits. */
function eventForm(state: ConsoleState, run: Run) {
  const select = h(
    'select',
    null,
    state.events.map((event) => h('option', { value: event.name }, event.name)),
  );
  const fields = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false' });
  const payload = h('small', { class: 'payload' });
  const draw = () => {
    const event = state.events.find((candidate) => candidate.name === select.value);
    fields.value = scalarFields(event?.payload ?? null);
    const nested = Object.entries(record(event?.payload) ?? {}).filter(
      ([, value]) => typeof value === 'object',
    );
    payload.textContent = event?.payload
      ? `Default payload ${JSON.stringify(event.payload)}${nested.length ? ' (nested objects are sent as shown)' : ''}`
      : 'No payload.';
  };
  select.addEventListener('change', draw);
  draw();
  return form(
    // The fields are already command-line words: the server's reader types and unquotes them.
    () =>
      select.value
        ? `${eventLine(select.value)}${fields.value.trim() ? ` ${fields.value.trim()}` : ''}`
        : undefined,
    run,
    h('div', { class: 'row' }, field('Event', select), field('Event fields', fields)),
    h('small', null, 'Fields as key=value, a value with spaces in quotes: key="two words".'),
    payload,
    h('button', { type: 'submit' }, 'Send event'),
  );
}

/** The Custom extension's controls: what a user can say or do to a speaker. */
export function talkPanel(state: ConsoleState, run: Run): HTMLElement {
  return h(
    'section',
    { class: 'talk', 'aria-label': 'Talk' },
    h('h2', null, 'Talk'),
    sentenceForm(state, run),
    h(
      'div',
      { class: 'row buttons' },
      h('button', { type: 'button', onclick: () => void run(LAUNCH_LINE) }, 'Launch'),
      h('button', { type: 'button', onclick: () => void run(END_LINE) }, 'End session'),
    ),
    h('h3', null, 'Send an intent'),
    intentForm(state, run),
    state.events.length ? [h('h3', null, 'Send an event'), eventForm(state, run)] : null,
  );
}
