import type { ConsoleExchange, ConsoleResolution } from '../protocol.js';
import { h, type Child } from './dom.js';
import { directivesOf, readSpeech, responseOf, type SpeechPart } from './reply.js';

/** What the user said or did, in words: a sentence as said, a command as typed. */
function userTurn(line: string): Child {
  if (line === '/launch') return h('p', { class: 'did' }, 'Opened the extension ', h('code', null, line));
  if (line === '/end') return h('p', { class: 'did' }, 'Ended the session ', h('code', null, line));
  if (line.startsWith('/')) return h('p', { class: 'did' }, h('code', null, line));
  return h('p', { class: 'said' }, line);
}

/** A model sample marks its slots inline (`<diceCount>3個</diceCount>振って`): show them as `{diceCount}`. */
const plainSample = (sample: string) => sample.replace(/<([^<>/\s]+)>[^<]*<\/\1>/g, '{$1}');

function resolutionOf(resolution: ConsoleResolution): Child {
  const slots = Object.values(resolution.slots).map(
    (slot) => ` ${slot.name}=${slot.value ?? ''}${slot.unit ? ` (${slot.unit})` : ''}`,
  );
  const how =
    resolution.via === 'sample' && resolution.sample
      ? `matched “${plainSample(resolution.sample)}”`
      : resolution.via === 'fallback'
        ? 'no sample matched'
        : resolution.via === 'builtin'
          ? 'a built-in intent phrase'
          : resolution.via;
  return h(
    'div',
    { class: resolution.via === 'fallback' ? 'resolution fallback' : 'resolution' },
    h(
      'span',
      null,
      '→ ',
      h(
        'code',
        null,
        resolution.type === 'IntentRequest' ? resolution.intent : resolution.type,
        slots.join(''),
      ),
    ),
    h('small', null, ` ${how}`),
    resolution.via === 'fallback' && resolution.nearMisses.length > 0
      ? h(
          'details',
          null,
          h('summary', null, `Near misses (${resolution.nearMisses.length})`),
          h(
            'ul',
            null,
            resolution.nearMisses.map((miss) =>
              h(
                'li',
                null,
                h('code', null, miss.intent),
                ` “${plainSample(miss.sample)}” ${Math.round(miss.score * 100)}%: ${miss.reason}`,
                miss.suggestion ? h('em', null, ` (${miss.suggestion})`) : null,
              ),
            ),
          ),
        )
      : null,
  );
}

/** Sentences as text, audio clips as a player plus a link (the URL may not play in a browser). */
export const speechParts = (parts: SpeechPart[]): Child[] =>
  parts.map((part) =>
    part.kind === 'url'
      ? h(
          'span',
          { class: 'clip' },
          h('audio', { controls: true, preload: 'none', src: part.value }),
          h('a', { href: part.value, target: '_blank', rel: 'noreferrer' }, part.value),
        )
      : h('span', { class: 'sentence', lang: part.lang || undefined }, part.value),
  );

function speechBlock(label: string, value: unknown): Child {
  const speech = readSpeech(value);
  // An event's reply often says nothing (`outputSpeech: {}`): show nothing rather than an empty label.
  if (!speech || (speech.parts.length === 0 && !speech.brief?.length && !speech.verbose?.length)) return null;
  const rows: Child[] =
    speech.type === 'SpeechSet'
      ? [
          h('div', null, h('span', { class: 'tag' }, 'brief'), speechParts(speech.brief ?? [])),
          h('div', null, h('span', { class: 'tag' }, 'verbose'), speechParts(speech.verbose ?? [])),
        ]
      : [h('div', null, speechParts(speech.parts))];
  return h('div', { class: 'speech' }, h('span', { class: 'tag' }, `${label} · ${speech.type}`), rows);
}

/** What Clova would do with the reply. */
function replyTurn(exchange: ConsoleExchange): Child {
  if (exchange.outcome === 'error')
    return h(
      'div',
      { class: 'reply error' },
      h('p', null, exchange.error?.message ?? 'Something went wrong'),
      exchange.error?.hint ? h('p', { class: 'hint' }, 'Hint: ', exchange.error.hint) : null,
    );
  const reply = exchange.reply;
  const status =
    reply && !reply.ok
      ? h(
          'p',
          { class: 'trouble' },
          `HTTP ${reply.status}`,
          reply.refusal ? ` ${reply.refusal.code}: ${reply.refusal.message}` : '',
          reply.problems.length ? ` · ${reply.problems.length} problem(s), see Inspect` : '',
        )
      : null;
  if (exchange.home)
    return h(
      'div',
      { class: exchange.home.isError ? 'reply error' : 'reply' },
      h('p', null, exchange.home.summary),
      h('small', null, exchange.home.name),
      status,
    );
  const response = responseOf(reply?.body);
  const directives = directivesOf(reply?.body);
  return h(
    'div',
    { class: 'reply' },
    speechBlock('Clova says', response?.outputSpeech),
    speechBlock('Reprompt', (response?.reprompt as { outputSpeech?: unknown } | undefined)?.outputSpeech),
    directives.length
      ? h(
          'ul',
          { class: 'directives' },
          directives.map((directive) => h('li', null, h('code', null, directive.name))),
        )
      : null,
    exchange.session?.ended ? h('p', { class: 'ended' }, 'Session ended') : null,
    status,
    reply?.raw !== undefined ? h('pre', { class: 'raw' }, reply.raw.slice(0, 500)) : null,
  );
}

/** The dialogue, one entry per exchange; each can be selected for the inspector. */
export class Conversation {
  readonly element = h('div', {
    class: 'log',
    role: 'log',
    'aria-label': 'Conversation',
    'aria-live': 'polite',
  });
  private readonly entries = new Map<number, HTMLElement>();

  constructor(private readonly onInspect: (id: number) => void) {}

  clear(): void {
    this.entries.clear();
    this.element.replaceChildren(
      h('p', { class: 'empty' }, 'Nothing yet: launch the extension or say something.'),
    );
  }

  add(exchange: ConsoleExchange): void {
    if (this.entries.size === 0) this.element.replaceChildren();
    const time = new Date(exchange.at);
    const entry = h(
      'article',
      { class: 'exchange', 'data-exchange-id': exchange.id },
      h(
        'header',
        null,
        h('span', { class: 'num' }, `#${exchange.id}`),
        h('time', { datetime: exchange.at }, Number.isNaN(time.getTime()) ? '' : time.toLocaleTimeString()),
        h(
          'button',
          {
            type: 'button',
            class: 'small',
            'aria-label': `Inspect exchange ${exchange.id}`,
            onclick: () => this.onInspect(exchange.id),
          },
          'Inspect',
        ),
      ),
      userTurn(exchange.line),
      exchange.resolution ? resolutionOf(exchange.resolution) : null,
      replyTurn(exchange),
    );
    this.entries.set(exchange.id, entry);
    this.element.append(entry);
    // Scroll the log only, not the page: on a narrow screen the page may be read elsewhere.
    this.element.scrollTop = this.element.scrollHeight;
  }

  /** Marks the exchange the inspector shows. */
  select(id: number): void {
    for (const [key, entry] of this.entries) entry.classList.toggle('selected', key === id);
  }
}
