import { DISCOVER_LINE, homeLine, type CommandValue } from '../command-line.js';
import type { ConsoleAppliance, ConsoleExchange, ConsoleState } from '../protocol.js';
import { field, fill, h, record } from './dom.js';

type Run = (line: string) => Promise<unknown>;

/** A sample value the command line can carry: a scalar, or `{ value: scalar }` (it wraps scalars back). */
function editable(sample: unknown): CommandValue | undefined {
  const inner = record(sample) && 'value' in record(sample)! ? record(sample)!.value : sample;
  return ['string', 'number', 'boolean'].includes(typeof inner) ? (inner as CommandValue) : undefined;
}

/** The typed text as the sample's type: `50` stays a number, so the line does not quote it into text. */
function typed(raw: string, sample: CommandValue): CommandValue {
  if (typeof sample === 'number' && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
  if (typeof sample === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

/** Clova Home: the access token, discovery, and a card per discovered appliance. */
export class HomePanel {
  readonly element = h('section', { class: 'home', 'aria-label': 'Clova Home' });
  private readonly tokenStatus = h('p', { 'aria-live': 'polite' });
  private readonly cards = h('div', { class: 'cards' });
  private readonly tokenInput = h('input', { type: 'password', autocomplete: 'off' });
  private state: ConsoleState | undefined;

  constructor(
    private readonly run: Run,
    setToken: (token: string | null) => Promise<unknown>,
  ) {
    fill(
      this.element,
      h('h2', null, 'Clova Home'),
      h(
        'form',
        {
          class: 'row',
          onsubmit: (event: Event) => {
            event.preventDefault();
            // An empty field goes back to the placeholder token.
            void setToken(this.tokenInput.value.trim() || null).then(() => (this.tokenInput.value = ''));
          },
        },
        field('Access token', this.tokenInput),
        h('button', { type: 'submit' }, 'Set token'),
      ),
      this.tokenStatus,
      h('button', { type: 'button', onclick: () => void run(DISCOVER_LINE) }, 'Discover appliances'),
      this.cards,
    );
    this.clear();
  }

  update(state: ConsoleState): void {
    this.state = state;
    this.tokenStatus.textContent = state.accessTokenSet
      ? 'A token is set (it stays on the server).'
      : 'No token: requests carry a placeholder.';
  }

  clear(): void {
    fill(this.cards, h('p', { class: 'empty' }, 'Discover appliances to list them here.'));
  }

  /** The latest discovery replaces the cards. */
  consider(exchange: ConsoleExchange): void {
    const appliances = exchange.home?.appliances;
    if (!appliances) return;
    fill(
      this.cards,
      appliances.length
        ? appliances.map((appliance) => this.card(appliance))
        : h('p', { class: 'empty' }, 'No appliances discovered.'),
    );
  }

  private card(appliance: ConsoleAppliance): HTMLElement {
    const form = h('div', { class: 'action-form' });
    const facts: [string, string | null][] = [
      ['Type', appliance.applianceType],
      ['Maker', appliance.manufacturerName],
      ['Location', appliance.location],
      ['Reachable', appliance.isReachable === null ? null : appliance.isReachable ? 'yes' : 'no'],
      ['Id', appliance.applianceId],
    ];
    return h(
      'article',
      {
        class: appliance.isReachable === false ? 'card unreachable' : 'card',
        'aria-label': appliance.friendlyName,
      },
      h('h3', null, appliance.friendlyName),
      h(
        'dl',
        null,
        facts
          .filter(([, value]) => value)
          .map(([name, value]) => [h('dt', null, name), h('dd', null, value)]),
      ),
      h(
        'div',
        { class: 'row buttons' },
        appliance.actions.map((action) =>
          h(
            'button',
            { type: 'button', class: 'small', onclick: () => this.openAction(form, appliance, action) },
            action,
          ),
        ),
      ),
      form,
    );
  }

  /** The action's required fields (sample values filled in), then Send. */
  private openAction(form: HTMLElement, appliance: ConsoleAppliance, action: string): void {
    const known = this.state?.homeActions.find((candidate) => candidate.name === action);
    const inputs: [string, HTMLInputElement, CommandValue][] = [];
    const fixed: string[] = [];
    for (const [name, sample] of Object.entries(known?.fields ?? {})) {
      const value = editable(sample);
      if (value === undefined) {
        fixed.push(`${name} = ${JSON.stringify(sample)}`);
        continue;
      }
      inputs.push([
        name,
        h('input', {
          type: typeof value === 'number' ? 'number' : 'text',
          value: String(value),
          step: 'any',
        }),
        value,
      ]);
    }
    const send = h('button', { type: 'submit' }, `Send ${action}`);
    fill(
      form,
      h(
        'form',
        {
          onsubmit: (event: Event) => {
            event.preventDefault();
            const fields = Object.fromEntries(
              inputs.map(([name, input, sample]) => [name, typed(input.value, sample)]),
            );
            void this.run(homeLine(action, appliance.applianceId, fields));
          },
        },
        inputs.map(([name, input]) => field(name, input)),
        fixed.length ? h('small', null, `Sent as sampled: ${fixed.join(', ')}`) : null,
        inputs.length || fixed.length ? null : h('small', null, `${action} takes no parameters.`),
        h(
          'div',
          { class: 'row buttons' },
          send,
          h('button', { type: 'button', class: 'small', onclick: () => form.replaceChildren() }, 'Cancel'),
        ),
      ),
    );
    (inputs[0]?.[1] ?? send).focus();
  }
}
