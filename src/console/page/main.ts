import './style.css';
import type { ConsoleExchange, ConsoleState } from '../protocol.js';
import * as api from './api.js';
import { AudioPanel } from './audio.js';
import { Conversation } from './conversation.js';
import { download, fill, h } from './dom.js';
import { scriptDialog } from './export.js';
import { HomePanel } from './home.js';
import { Inspector } from './inspector.js';
import { readSpeech, responseOf } from './reply.js';
import { canSpeak, speak } from './speech.js';
import { talkPanel } from './talk.js';

/** The browser console: wires the panels to the server's API and keeps the exchanges in order. */

const READ_ALOUD = 'cekit-console-read-aloud';

const banner = h('p', { class: 'banner', role: 'alert', hidden: true });
const facts = h('p', { class: 'facts' });
const busy = h('span', { class: 'busy', 'aria-live': 'polite' });
const exchanges = new Map<number, ConsoleExchange>();
let state: ConsoleState;

function fail(error: unknown): void {
  banner.textContent = error instanceof Error ? error.message : String(error);
  banner.hidden = false;
}

const conversation = new Conversation((id) => select(id, true));
const inspector = new Inspector();

function select(id: number, focus = false): void {
  const exchange = exchanges.get(id);
  if (!exchange) return;
  inspector.show(exchange, focus);
  conversation.select(id);
}

// One line at a time, in order: a click during a slow reply waits its turn, as on a speaker.
let queue: Promise<unknown> = Promise.resolve();
function run(line: string): Promise<unknown> {
  const next = queue.then(async () => {
    busy.textContent = `Running ${line}…`;
    try {
      const { exchange, session } = await api.runLine(line);
      banner.hidden = true;
      add(exchange, true);
      update({ ...state, session });
    } catch (error) {
      fail(error);
    } finally {
      busy.textContent = '';
    }
  });
  queue = next;
  return next;
}

const audio = new AudioPanel(run);
const home = new HomePanel(run, async (token) => {
  try {
    update(await api.setToken(token));
  } catch (error) {
    fail(error);
  }
});
const readAloud = h('input', {
  type: 'checkbox',
  disabled: !canSpeak(),
  onchange: () => localStorage.setItem(READ_ALOUD, readAloud.checked ? '1' : ''),
});
readAloud.checked = canSpeak() && localStorage.getItem(READ_ALOUD) === '1';

function add(exchange: ConsoleExchange, live: boolean): void {
  exchanges.set(exchange.id, exchange);
  conversation.add(exchange);
  select(exchange.id);
  audio.consider(exchange);
  home.consider(exchange);
  if (live && readAloud.checked) {
    const speech = readSpeech(responseOf(exchange.reply?.body)?.outputSpeech);
    speak(speech?.verbose ?? speech?.parts ?? [], state.locale);
  }
}

/** The header's facts and the token status; history is drawn by `load`, not here. */
function update(next: ConsoleState): void {
  state = next;
  const session = state.session.open ? `session ${state.session.id ?? ''} open` : 'no session open';
  fill(
    facts,
    h('code', null, state.target),
    ` · ${state.signed ? 'signed' : 'unsigned'} · ${state.extensionId} · ${state.locale} · ${session}`,
  );
  home.update(state);
}

function load(next: ConsoleState): void {
  update(next);
  exchanges.clear();
  conversation.clear();
  inspector.clear();
  audio.clear();
  home.clear();
  for (const exchange of next.exchanges) add(exchange, false);
}

async function act(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    fail(error);
  }
}

async function start(): Promise<void> {
  const root = document.getElementById('app') ?? document.body;
  try {
    state = await api.getState();
  } catch (error) {
    fill(root, banner);
    fail(error);
    return;
  }
  const dialog = scriptDialog();
  const showsAll = state.kinds.length === 0;
  const custom = showsAll || state.kinds.includes('custom');
  const homeShown = showsAll || state.kinds.includes('home');
  fill(
    root,
    h(
      'header',
      { class: 'top' },
      h('h1', null, 'cekit console'),
      facts,
      h(
        'div',
        { class: 'row buttons' },
        h(
          'button',
          { type: 'button', onclick: () => act(async () => dialog.open(await api.exportScript())) },
          'Export script',
        ),
        h(
          'button',
          {
            type: 'button',
            onclick: () =>
              act(async () => download('exchanges.json', await api.exportJson(), 'application/json')),
          },
          'Export JSON',
        ),
        h(
          'button',
          { type: 'button', onclick: () => act(async () => load(await api.resetRun())) },
          'New run',
        ),
        h(
          'label',
          { class: 'check', title: canSpeak() ? undefined : 'This browser has no speech synthesis' },
          readAloud,
          'Read replies aloud',
        ),
        busy,
      ),
      banner,
    ),
    h(
      'main',
      { class: 'layout' },
      h(
        'div',
        { class: 'left' },
        h(
          'section',
          { class: 'dialogue', 'aria-label': 'Dialogue' },
          h('h2', null, 'Conversation'),
          conversation.element,
        ),
        custom ? talkPanel(state, run) : null,
        custom ? audio.element : null,
        homeShown ? home.element : null,
      ),
      inspector.element,
    ),
    dialog.element,
  );
  load(state);
}

void start();
