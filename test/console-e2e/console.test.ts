import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleExchange, ConsoleState, RunResult } from '../../src/console/protocol.js';
import { DESKTOP, launchBrowser, type Browser } from './browser.js';
import {
  createProject,
  exec,
  explain,
  HOME_TOKEN,
  startDev,
  startSimulateWeb,
  type Project,
  type Running,
} from './project.js';
import { saveScreenshot } from './screenshots.js';

// The browser console as a user meets it: cekit installed from the packed tarball, `cekit dev` serving
// the shipped examples (and two small modules of the user's), the console's URL taken from what
// `cekit dev` prints, and headless Chromium clicking through the page by the names a screen reader
// would announce. The pictures in the README and docs/guides/console.md are taken here.

const DICE_MODEL = 'node_modules/cekit/examples/models/dice.json';
const WELCOME = 'サイコロを振ります';

let project: Project;
let browser: Browser;
let dice: Running;
let broken: Running;
let radio: Running;
let home: Running;
const running: Running[] = [];
const pages: Page[] = [];

beforeAll(async () => {
  // Both at once; whichever succeeded is cleaned up in afterAll even if the other failed.
  const [made, launched] = await Promise.allSettled([createProject(), launchBrowser()]);
  if (made.status === 'fulfilled') project = made.value;
  if (launched.status === 'fulfilled') browser = launched.value;
  for (const result of [made, launched]) if (result.status === 'rejected') throw result.reason;
  // Nothing here may reach the network: the episodes' https URLs are example.com's.
  await browser.context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  const dev = async (args: string[]) => {
    const started = await startDev(project, [...args, '--port', '0', '--console-port', '0']);
    running.push(started);
    return started;
  };
  [dice, broken, radio, home] = await Promise.all([
    dev([
      'node_modules/cekit/examples/dice/extension.ts',
      '--export',
      'createDiceExtension',
      '--model',
      DICE_MODEL,
    ]),
    dev(['broken.mjs']),
    dev(['radio.ts']),
    dev(['home.ts']),
  ]);
}, 300_000);

afterAll(async () => {
  for (const page of pages) await page.close().catch(() => undefined);
  await browser?.close();
  const stopped = await Promise.all(running.map((command) => command.stop()));
  project?.remove();
  // Ctrl+C is a normal way to leave cekit dev: no stack trace.
  for (const result of stopped)
    expect(`${result.stdout}\n${result.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}, 60_000);

/** A new tab on the console, once it has drawn itself from `GET /api/state`. */
async function open(url: string, viewport = DESKTOP): Promise<Page> {
  const page = await browser.context.newPage();
  pages.push(page);
  // Well under the test's own timeout, so a missing element fails with its locator, not a bare timeout.
  page.setDefaultTimeout(10_000);
  await page.setViewportSize(viewport);
  await page.goto(url);
  await page.getByRole('log', { name: 'Conversation' }).waitFor();
  return page;
}

const isRun = (response: Response) =>
  new URL(response.url()).pathname === '/api/run' && response.request().method() === 'POST';

/** Does `action` (a click, a key), waits for the line it ran and for the page to show the exchange. */
async function ran(page: Page, action: () => Promise<unknown>): Promise<ConsoleExchange> {
  const answered = page.waitForResponse(isRun);
  await action();
  const response = await answered;
  expect(response.status(), await response.text()).toBe(200);
  const { exchange } = (await response.json()) as RunResult;
  await exchangeOf(page, exchange.id).waitFor();
  return exchange;
}

const exchangeOf = (page: Page, id: number) =>
  page.getByRole('log', { name: 'Conversation' }).locator(`[data-exchange-id="${id}"]`);

/** The console's own view of the run, as the page reads it. */
const stateOf = (page: Page) =>
  page.evaluate(async () => (await fetch('/api/state')).json()) as Promise<ConsoleState>;

const inspector = (page: Page) => page.getByRole('region', { name: 'Inspector' });

/** The exported script docs/guides/console.md shows: its text block under "Keep it", unindented. */
function exportedScriptInGuide(): string {
  const guide = readFileSync(new URL('../../docs/guides/console.md', import.meta.url), 'utf8');
  const block = /### Keep it[\s\S]*?\n( *)```text\n([\s\S]*?)\n\1```/.exec(guide);
  expect(block, 'a text block in the "Keep it" section of docs/guides/console.md').not.toBeNull();
  return `${block![2]!.replace(new RegExp(`^${block![1]}`, 'gm'), '')}\n`;
}

// Each test takes a few seconds; the margin is for a loaded CI machine running the other test files at once.
describe('the browser console', { timeout: 60_000 }, () => {
  it('is a small page: measures what the browser transfers to show it', async () => {
    const page = await browser.context.newPage();
    pages.push(page);
    page.setDefaultTimeout(10_000);
    // A fresh load whatever ran before: no HTTP cache.
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const responses: Response[] = [];
    page.on('response', (response) => responses.push(response));
    await page.goto(dice.console, { waitUntil: 'networkidle' });
    await page.getByRole('button', { name: 'Launch' }).waitFor();

    const assets = new Map<string, { transferred: number; size: number; encoding: string }>();
    for (const response of responses) {
      const url = new URL(response.url());
      if (url.origin !== new URL(dice.console).origin || url.pathname.startsWith('/api/')) continue;
      const sizes = await response.request().sizes();
      assets.set(url.pathname, {
        transferred: sizes.responseBodySize,
        size: (await response.body()).length,
        encoding: (await response.headerValue('content-encoding')) ?? 'identity',
      });
    }
    expect([...assets.keys()]).toEqual(expect.arrayContaining(['/', '/app.js', '/app.css']));
    const total = (key: 'transferred' | 'size') =>
      [...assets.values()].reduce((sum, asset) => sum + asset[key], 0);
    const kb = (bytes: number) => (bytes / 1024).toFixed(1);
    console.log(
      `console page: ${kb(total('transferred'))} KB transferred (${kb(total('size'))} KB uncompressed): ` +
        [...assets]
          .map(([path, asset]) => `${path} ${kb(asset.transferred)} KB ${asset.encoding}`)
          .join(', '),
    );
    expect(total('transferred')).toBeLessThan(60 * 1024);
  });

  it('launches the dice example, resolves a sentence and shows the reply and its inspection', async () => {
    // The extension endpoint keeps its protocol: only POST.
    const get = await fetch(dice.extension);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');

    const page = await open(dice.console);
    const launch = await ran(page, () => page.getByRole('button', { name: 'Launch' }).click());
    await exchangeOf(page, launch.id).getByText(WELCOME).waitFor();

    const roll = await ran(page, async () => {
      await page.getByLabel('Say something').fill('サイコロを3個振って');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
    });
    const entry = exchangeOf(page, roll.id);
    await entry.getByText('サイコロを3個振りました').waitFor();
    expect(roll.resolution).toMatchObject({
      intent: 'ThrowDiceIntent',
      slots: { diceCount: { value: '3' } },
      via: 'sample',
    });
    const shown = await entry.textContent();
    expect(shown).toContain('ThrowDiceIntent');
    expect(shown).toContain('diceCount=3');

    // The newest exchange is inspected; the button selects it again.
    await page.getByRole('button', { name: `Inspect exchange ${roll.id}` }).click();
    const panel = inspector(page);
    await panel.getByText(`Inspector · #${roll.id}`).waitFor();
    await panel.getByText('HTTP 200').waitFor();
    expect(await panel.textContent()).toMatch(/\d+ ms of 8000 ms/);
    await panel.getByRole('heading', { name: 'Request' }).waitFor();
    await panel.getByRole('heading', { name: 'Reply' }).waitFor();
    await panel.getByText('Session ended').waitFor();
    await panel.getByRole('table', { name: 'Session attributes' }).waitFor();
    expect(await panel.textContent()).toContain('"ThrowDiceIntent"');
    await saveScreenshot(page, 'console-talk');
  });

  it('points at the field of an invalid reply', async () => {
    const page = await open(broken.console);
    const launch = await ran(page, () => page.getByRole('button', { name: 'Launch' }).click());
    expect(launch.reply?.ok).toBe(false);
    const path = 'response.outputSpeech.values.lang';
    expect(launch.reply?.problems).toContainEqual(expect.objectContaining({ code: 'SCHEMA', path }));
    await exchangeOf(page, launch.id)
      .getByText(/problem\(s\)/)
      .waitFor();

    const panel = inspector(page);
    const problem = panel.getByRole('list', { name: 'Problems' }).locator(`li[data-path="${path}"]`);
    await problem.waitFor();
    expect(await problem.textContent()).toContain('SCHEMA');
    const line = panel.locator(`.problem[data-path="${path}"]`);
    await line.waitFor();
    expect(await line.textContent()).toContain('"fr"');
    // The problem links to its line in the reply's JSON.
    await problem.getByRole('link').click();
    expect(await line.evaluate((element) => element.getBoundingClientRect().bottom <= innerHeight)).toBe(
      true,
    );
    // For the picture: the line amid its neighbours, the page at its top.
    await line.evaluate((element) => {
      element.scrollIntoView({ block: 'center' });
      scrollTo(0, 0);
    });
    await saveScreenshot(page, 'console-problem');
  });

  it("plays an AudioPlayer.Play reply and sends the device's events to the extension", async () => {
    const page = await open(radio.console);
    const player = page.getByRole('region', { name: 'Audio player' });
    const launch = await ran(page, () => page.getByRole('button', { name: 'Launch' }).click());
    await exchangeOf(page, launch.id).getByText('AudioPlayer.Play').waitFor();
    await player.getByText('第1回 はじめまして').waitFor();

    const press = (name: string) =>
      ran(page, () => player.getByRole('button', { name, exact: true }).click());
    const events = [
      await press('Play'),
      await press('Pause'),
      await press('Play'),
      await press('Report progress'),
      await press('Finish'),
    ];
    expect(events.map((exchange) => exchange.line.split(' ').slice(0, 3))).toEqual([
      ['/event', 'AudioPlayer.PlayStarted', 'token=ep-1'],
      ['/event', 'AudioPlayer.PlayPaused', 'token=ep-1'],
      ['/event', 'AudioPlayer.PlayResumed', 'token=ep-1'],
      ['/event', 'AudioPlayer.ProgressReportIntervalPassed', 'token=ep-1'],
      ['/event', 'AudioPlayer.PlayFinished', 'token=ep-1'],
    ]);
    for (const exchange of events) {
      expect(exchange.outcome, exchange.error?.message).toBe('reply');
      expect(exchange.reply?.status).toBe(200);
      expect(exchange.reply?.problems).toEqual([]);
      expect(await exchangeOf(page, exchange.id).textContent()).toContain(exchange.line.split(' ')[1]);
    }
    // The extension answered PlayFinished with the next episode, queued: the event reached it.
    const finished = events.at(-1)!;
    expect(JSON.stringify(finished.reply?.body)).toContain('"token":"ep-2"');
    expect(JSON.stringify(finished.reply?.body)).toContain('"playBehavior":"ENQUEUE"');
    await player.getByText('第2回 CEKの仕組み').waitFor();
    // The page's history and the server's agree, nothing sent twice.
    expect((await stateOf(page)).exchanges.map((exchange) => exchange.id)).toEqual([
      launch.id,
      ...events.map((exchange) => exchange.id),
    ]);
    await page.getByRole('button', { name: `Inspect exchange ${finished.id}` }).click();
    await inspector(page).getByText(`Inspector · #${finished.id}`).waitFor();
    await player.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await saveScreenshot(page, 'console-audio');
  });

  it('discovers and controls Clova Home appliances, and says what went wrong in words', async () => {
    const page = await open(home.console);
    const panel = page.getByRole('region', { name: 'Clova Home' });
    const setToken = async (token: string) => {
      const answered = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/token');
      await panel.getByLabel('Access token').fill(token);
      await panel.getByRole('button', { name: 'Set token' }).click();
      expect((await answered).status()).toBe(200);
      await panel.getByText('A token is set').waitFor();
    };
    const discover = () =>
      ran(page, () => panel.getByRole('button', { name: 'Discover appliances' }).click());

    // A token the extension does not accept: an error, in words.
    await setToken('not-the-token');
    const refused = await discover();
    expect(refused.home).toMatchObject({ name: 'InvalidAccessTokenError', isError: true });
    await exchangeOf(page, refused.id).getByText(refused.home!.summary).waitFor();

    await setToken(HOME_TOKEN);
    const discovered = await discover();
    expect(discovered.home?.name).toBe('DiscoverAppliancesResponse');
    const light = panel.getByRole('article', { name: 'Living room light' });
    await light.waitFor();
    await panel.getByRole('article', { name: 'Bedroom air conditioner' }).waitFor();

    const control = async (card: string, action: string, fields: Record<string, string>) =>
      ran(page, async () => {
        const article = panel.getByRole('article', { name: card });
        await article.getByRole('button', { name: action, exact: true }).click();
        for (const [name, value] of Object.entries(fields))
          await article.getByLabel(name, { exact: true }).fill(value);
        await article.getByRole('button', { name: `Send ${action}` }).click();
      });
    const dimmed = await control('Living room light', 'SetBrightness', { brightness: '40' });
    expect(dimmed.line).toBe('/home SetBrightness light-1 brightness=40');
    expect(dimmed.home).toMatchObject({ name: 'SetBrightnessConfirmation', isError: false });
    await exchangeOf(page, dimmed.id).getByText(dimmed.home!.summary).waitFor();

    // Out of the air conditioner's range (18 to 30): refused, in words.
    const tooHot = await control('Bedroom air conditioner', 'SetTargetTemperature', {
      targetTemperature: '35',
    });
    expect(tooHot.home).toMatchObject({ name: 'ValueOutOfRangeError', isError: true });
    await exchangeOf(page, tooHot.id).getByText(tooHot.home!.summary).waitFor();
    // Nowhere to be seen: not in the page, not in what the page can ask for.
    expect(await page.content()).not.toContain(HOME_TOKEN);
    expect(JSON.stringify(await stateOf(page))).not.toContain(HOME_TOKEN);
    await saveScreenshot(page, 'console-home');
  });

  it('exports the dialogue as a script that cekit simulate replays, and as JSON; reload keeps it', async () => {
    const page = await open(dice.console);
    const reset = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/reset');
    await page.getByRole('button', { name: 'New run' }).click();
    await reset;
    await page.getByText('Nothing yet').waitFor();

    await ran(page, () => page.getByRole('button', { name: 'Launch' }).click());
    const help = await ran(page, async () => {
      await page.getByLabel('Say something').fill('ヘルプ');
      await page.getByLabel('Say something').press('Enter');
    });
    expect(help.resolution).toMatchObject({ intent: 'Clova.GuideIntent', via: 'builtin' });
    await ran(page, () => page.getByRole('button', { name: 'End session' }).click());

    await page.getByRole('button', { name: 'Export script' }).click();
    const dialog = page.getByRole('dialog');
    const script = await dialog.getByLabel('Script').inputValue();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // docs/guides/console.md shows this very file (for the dev server's default port).
    expect(script.replace(dice.extension, 'http://127.0.0.1:3000/')).toBe(exportedScriptInGuide());

    // The first line says how to replay it; fill in its placeholders and run it.
    const file = join(project.dir, 'dialogue.txt');
    writeFileSync(file, script);
    const header = /^# cekit simulate (.+)$/m.exec(script)?.[1];
    expect(header, script).toBeDefined();
    const args = header!
      .replace('<this file>', file)
      .replace('<your key file>', project.keyPath)
      .replace('<your model>', DICE_MODEL)
      .split(' ');
    expect(args[0]).toBe(dice.extension);
    const replay = await exec(project.cekit, ['simulate', ...args], project.dir);
    expect(replay.code, explain('cekit simulate --script', replay)).toBe(0);
    expect(replay.stdout).toContain('✓ says "サイコロを振ります');

    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export JSON' }).click();
    const download = await downloaded;
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as ConsoleExchange[];
    expect(exported.map((exchange) => exchange.line)).toEqual(['/launch', 'ヘルプ', '/end']);
    expect(exported.every((exchange) => exchange.reply?.status === 200)).toBe(true);

    await page.reload();
    await exchangeOf(page, 3).waitFor();
    expect(await page.getByRole('log', { name: 'Conversation' }).textContent()).toContain('たとえば');
  });

  it('is usable with the keyboard alone on a 400 px wide screen', async () => {
    const page = await open(dice.console, { width: 400, height: 860 });
    /** Tabs forward until the control has the focus (at most 60 presses), as a keyboard user would. */
    const tabTo = async (locator: Locator) => {
      for (let i = 0; i < 60; i++) {
        if (await locator.evaluate((element) => element === document.activeElement)) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`Tab never reached ${locator.toString()}`);
    };
    const launchButton = page.getByRole('button', { name: 'Launch' });
    await tabTo(launchButton);
    const launch = await ran(page, () => page.keyboard.press('Enter'));
    await exchangeOf(page, launch.id).getByText(WELCOME).waitFor();

    await tabTo(page.getByLabel('Say something'));
    const roll = await ran(page, async () => {
      await page.keyboard.type('サイコロを2個振って');
      await page.keyboard.press('Enter');
    });
    await exchangeOf(page, roll.id).getByText('サイコロを2個振りました').waitFor();
    // Nothing wider than the screen: no sideways scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    await exchangeOf(page, roll.id).scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'console-narrow');
  });

  it('opens against any running extension with cekit simulate --web', async () => {
    const simulate = await startSimulateWeb(project, [
      dice.extension,
      '--web',
      '--no-open',
      '--port',
      '0',
      '--key',
      project.keyPath,
      '--model',
      DICE_MODEL,
      '--extension-id',
      'com.example.dice',
    ]);
    running.push(simulate);
    const page = await open(simulate.console);
    const state = await stateOf(page);
    expect(state).toMatchObject({ target: dice.extension, signed: true, extensionId: 'com.example.dice' });
    const launch = await ran(page, () => page.getByRole('button', { name: 'Launch' }).click());
    await exchangeOf(page, launch.id).getByText(WELCOME).waitFor();
    expect(launch.reply?.status).toBe(200);
  });
});
