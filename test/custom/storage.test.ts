import { mkdtemp, open, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineMessages, fileStore, languageOfLocale, memoryStore, silentLogger, type Logger } from 'cekit';
import { fixture, send, testExtension } from './harness.js';

const directories: string[] = [];
async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'cekit-store-'));
  directories.push(dir);
  return dir;
}
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(directories.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A logger that keeps its warnings, to check what an operator would see. */
function recordingLogger() {
  const warnings: { message: string; fields?: Record<string, unknown> }[] = [];
  const logger: Logger = {
    ...silentLogger,
    warn: (message, fields) => void warnings.push({ message, fields }),
  };
  return { logger, warnings };
}

/** The one user file in `directory` (names are hashes, so tests find them by listing). */
async function onlyJsonFile(directory: string) {
  const names = (await readdir(directory)).filter((name) => name.endsWith('.json'));
  expect(names).toHaveLength(1);
  return names[0]!;
}

describe('memoryStore', () => {
  it('stores copies, so mutating a loaded value does not change the store', async () => {
    const store = memoryStore<{ n: number }>();
    await store.set('u', { n: 1 });
    const loaded = (await store.get('u'))!;
    loaded.n = 2;
    expect(await store.get('u')).toEqual({ n: 1 });
    await store.delete('u');
    expect(await store.get('u')).toBeUndefined();
  });
});

describe('fileStore', () => {
  it('survives a restart (a new store on the same directory)', async () => {
    const directory = await tempDir();
    await fileStore<{ visits: number }>({ directory: join(directory, 'users') }).set('U1', { visits: 3 });
    const reopened = fileStore<{ visits: number }>({ directory: join(directory, 'users') });
    expect(await reopened.get('U1')).toEqual({ visits: 3 });
    expect(await reopened.get('U2')).toBeUndefined();
  });

  it('writes atomically: no temporary files left, ids never become paths', async () => {
    const directory = await tempDir();
    const store = fileStore({ directory });
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set('../../etc/passwd', { i })));
    const files = await readdir(directory);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{40}\.json$/);
    expect(await store.get('../../etc/passwd')).toHaveProperty('i');
    await store.delete('../../etc/passwd');
    expect(await readdir(directory)).toEqual([]);
  });

  it.each([
    ['half a file', '{"userId":"U1","value":{"name":"Hanako Yamada","pho'],
    ['an empty file', ''],
    ['JSON of the wrong shape', '{"name":"Hanako Yamada"}'],
    ['JSON null', 'null'],
    ['a JSON array', '["Hanako Yamada"]'],
  ])(
    'quarantines %s: the user starts fresh, the file is kept aside, one warning without content',
    async (_, text) => {
      const directory = await tempDir();
      const { logger, warnings } = recordingLogger();
      const store = fileStore<{ visits: number }>({ directory, logger });
      await store.set('U1', { visits: 1 });
      const name = await onlyJsonFile(directory);
      await writeFile(join(directory, name), text);

      expect(await store.get('U1')).toBeUndefined();
      expect(await store.get('U1')).toBeUndefined(); // still fresh, and no second warning
      const files = await readdir(directory);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(new RegExp(`^${name}\\.corrupt-\\d{4}-\\d\\d-\\d\\dT[\\d-]+Z$`));
      expect(await readFile(join(directory, files[0]!), 'utf8')).toBe(text); // nothing lost
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.fields).toMatchObject({
        file: join(directory, name),
        quarantinedAs: join(directory, files[0]!),
      });
      expect(JSON.stringify(warnings)).not.toContain('Hanako');

      await store.set('U1', { visits: 2 });
      expect(await store.get('U1')).toEqual({ visits: 2 });
    },
  );

  it('keeps serving reads and writes around a corrupt file when two requests find it at once', async () => {
    const directory = await tempDir();
    const { logger, warnings } = recordingLogger();
    const store = fileStore<{ visits: number }>({ directory, logger });
    await store.set('U1', { visits: 1 });
    await writeFile(join(directory, await onlyJsonFile(directory)), '{');
    expect(await Promise.all([store.get('U1'), store.get('U1'), store.get('U1')])).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(warnings).toHaveLength(1);
  });

  it('removes temporary files a crashed writer left, on first use, and keeps ones that may be live', async () => {
    const directory = await tempDir();
    const hash = 'a'.repeat(40);
    const old = Date.now() / 1000 - 2 * 3600;
    const abandoned = [`${hash}.json.0123456789ab.tmp`, `${hash}.json.ffffffff-1-0123456789ab.tmp`];
    for (const name of abandoned) {
      await writeFile(join(directory, name), '{"userId":');
      await utimes(join(directory, name), old, old);
    }
    // Fresh, from another host (its pid means nothing here): it may be a live write, so it stays.
    const young = `${hash}.json.ffffffff-1-0123456789ac.tmp`;
    await writeFile(join(directory, young), '{"userId":');
    await writeFile(join(directory, 'notes.txt'), 'not ours');

    const store = fileStore({ directory });
    expect(await store.get('U1')).toBeUndefined();
    expect((await readdir(directory)).sort()).toEqual([young, 'notes.txt']);
  });

  it('does not remove the temporary file of a write in progress in this process', async () => {
    const directory = await tempDir();
    const writer = fileStore<{ pad: string }>({ directory, durable: false, maxBytes: 16 * 1024 * 1024 });
    const big = { pad: 'x'.repeat(8 * 1024 * 1024) };
    const writes = Promise.all(Array.from({ length: 4 }, (_, i) => writer.set(`U${i}`, big)));
    let done = false;
    void writes.finally(() => (done = true));
    while (!done && !(await readdir(directory)).some((name) => name.endsWith('.tmp'))) await sleep(1);
    expect(done).toBe(false); // the second store below sweeps while a temporary file is being written
    await fileStore({ directory }).get('U9');
    await writes; // a removed temporary file would fail its rename
    expect((await readdir(directory)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('fsyncs the temporary file before the rename and the directory after it, unless durable: false', async () => {
    const directory = await tempDir();
    const probe = await open(join(directory, 'probe'), 'w');
    const prototype = Object.getPrototypeOf(probe) as { datasync(): Promise<void>; sync(): Promise<void> };
    await probe.close();
    await rm(join(directory, 'probe'));
    const datasync = vi.spyOn(prototype, 'datasync');
    const sync = vi.spyOn(prototype, 'sync');

    await fileStore({ directory, durable: false }).set('U1', { n: 1 });
    expect(datasync).not.toHaveBeenCalled();
    expect(sync).not.toHaveBeenCalled();

    const store = fileStore({ directory });
    await store.set('U1', { n: 2 });
    expect(datasync).toHaveBeenCalledTimes(1);
    expect(sync).toHaveBeenCalledTimes(1); // the directory, so the rename itself is on disk
    await store.delete('U1');
    expect(sync).toHaveBeenCalledTimes(2); // a deletion (SkillDisabled) must not come back either
  });
});

describe('defineMessages', () => {
  const messages = defineMessages({
    ja: { hello: 'こんにちは', rolled: (n: number) => `${n}が出ました` },
    en: { hello: 'Hello', rolled: (n: number) => `You rolled ${n}` },
  });

  it('picks the language and falls back to the first one', () => {
    expect(messages('en').rolled(4)).toBe('You rolled 4');
    expect(messages('ko').hello).toBe('こんにちは');
    expect(messages.languages).toEqual(['ja', 'en']);
  });

  it('maps locales to speech languages', () => {
    expect(
      ['ja-JP', 'ko-KR', 'en-US', 'EN-gb', 'ja', 'zh-CN', 'constructor', 'toString-JP', undefined].map(
        languageOfLocale,
      ),
    ).toEqual(['ja', 'ko', 'en', 'en', 'ja', undefined, undefined, undefined, undefined]);
  });
});

describe('fileStore behind an extension', () => {
  it('keeps user attributes across a restart of the extension', async () => {
    const directory = await tempDir();
    const build = () => {
      const app = testExtension<{ user: { visits: number } }>({ storage: fileStore({ directory }) });
      app.launch(async (ctx) => {
        const user = await ctx.user.load();
        user.visits = (user.visits ?? 0) + 1;
        ctx.say(`visit ${user.visits}`);
      });
      return app;
    };
    await send(build(), fixture('launch-request'));
    const { json } = await send(build(), fixture('launch-request')); // a new process would do the same
    expect(json.response.outputSpeech.values.value).toBe('visit 2');
  });
});
