import { describe, expect, it } from 'vitest';
import { memoryStore, silentLogger } from 'cekit';
import { createAudioPlayerExtension, type PlayerUser } from '../../../examples/audio-player/extension.js';
import { fixture, intentRequest, keys, send } from '../harness.js';

const USER = 'U399a1e08a8d474521fc4bbd8c7b4148f';
const EPISODES = [
  { id: 'TR-NM-4435786', title: 'Episode 1', url: 'https://example.com/1.mp3' },
  { id: 'ac192f4c-8f12-4a58-8ace-e3127eb297a4', title: 'Episode 2' },
];

function player(storage = memoryStore<Partial<PlayerUser>>()) {
  return createAudioPlayerExtension({
    extensionId: 'com.example.extension.pizzabot',
    verify: { keys: [keys.publicKeyPem], bundledKey: false, keyUrl: false },
    episodes: EPISODES,
    streamUrlFor: (episode) => `https://example.com/signed/${episode.id}.mp3`,
    storage,
    logger: silentLogger,
  });
}

/** The event fixtures carry only context.AudioPlayer; add the System the applicationId check needs. */
function event(name: string) {
  const message = fixture(name);
  message.context.System = fixture('launch-request').context.System;
  return message;
}

describe('examples/audio-player', () => {
  it('plays the first episode on launch with progress reports', async () => {
    const { json } = await send(player(), fixture('launch-request'));
    const play = json.response.directives[0];
    expect(play.header).toMatchObject({ namespace: 'AudioPlayer', name: 'Play' });
    expect(play.payload.audioItem.stream).toMatchObject({
      token: 'TR-NM-4435786',
      url: 'https://example.com/1.mp3',
      urlPlayable: true,
      progressReport: { progressReportIntervalInMilliseconds: 30000 },
    });
    expect(play.payload.source.name).toBe('cekit radio');
  });

  it('enqueues the next episode (deferred URL) when one finishes, and delivers its URL on request', async () => {
    const storage = memoryStore<Partial<PlayerUser>>();
    const app = player(storage);
    const finished = await send(app, event('event-audioplayer-play-finished'));
    const play = finished.json.response.directives[0];
    expect(play.payload.playBehavior).toBe('ENQUEUE');
    expect(play.payload.audioItem.stream).toMatchObject({
      url: 'clova:ac192f4c-8f12-4a58-8ace-e3127eb297a4',
      urlPlayable: false,
    });
    expect(await storage.get(USER)).toEqual({
      episodeId: 'ac192f4c-8f12-4a58-8ace-e3127eb297a4',
      offsetMs: 0,
    });

    const requested = await send(app, fixture('event-audioplayer-stream-requested'));
    expect(requested.json.response.directives[0]).toMatchObject({
      header: { namespace: 'AudioPlayer', name: 'StreamDeliver' },
      payload: {
        audioItemId: 'ac192f4c-8f12-4a58-8ace-e3127eb297a4',
        audioStream: { url: 'https://example.com/signed/ac192f4c-8f12-4a58-8ace-e3127eb297a4.mp3' },
      },
    });
  });

  it('remembers the position on pause and resumes from it on the next launch', async () => {
    const storage = memoryStore<Partial<PlayerUser>>();
    const app = player(storage);
    await send(app, event('event-audioplayer-play-paused'));
    expect(await storage.get(USER)).toEqual({ episodeId: 'TR-NM-4435786', offsetMs: 83100 });
    const { json } = await send(app, fixture('launch-request'));
    expect(json.response.outputSpeech.values.value).toBe('「Episode 1」の続きから再生します。');
    expect(json.response.directives[0].payload.audioItem.stream.beginAtInMilliseconds).toBe(83100);
  });

  it('maps the playback built-in intents to PlaybackController directives', async () => {
    const app = player();
    for (const [intent, name] of [
      ['Clova.PauseIntent', 'Pause'],
      ['Clova.ResumeIntent', 'Resume'],
      ['Clova.StopIntent', 'Stop'],
    ]) {
      const { json } = await send(app, intentRequest(intent!));
      expect(json.response.directives).toMatchObject([{ header: { namespace: 'PlaybackController', name } }]);
    }
  });

  it('stops after the last episode', async () => {
    const message = event('event-audioplayer-play-finished');
    message.request.event.payload.token = 'ac192f4c-8f12-4a58-8ace-e3127eb297a4';
    const { json } = await send(player(), message);
    expect(json.response.directives).toMatchObject([{ header: { name: 'Stop' } }]);
  });
});
