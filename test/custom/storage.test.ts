import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defineMessages, fileStore, languageOfLocale, memoryStore } from 'cekit';
import { fixture, send, testExtension } from './harness.js';

const directories: string[] = [];
async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'cekit-store-'));
  directories.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(directories.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

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
