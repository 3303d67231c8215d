/**
 * Serves the podcast player on loopback (PORT, default 3000) with the real verifier, trusting a key
 * generated now.
 *
 *   npx tsx examples/audio-player/main.ts
 */
import { serve } from 'cekit/node';
import { generateTestKeyPair } from 'cekit/testing';
import { createAudioPlayerExtension } from './extension.js';

const keys = generateTestKeyPair();
const app = createAudioPlayerExtension({
  verify: { keys: [keys.publicKeyPem], bundledKey: false, keyUrl: false },
  episodes: [
    { id: 'ep-1', title: '第1回 はじめまして', url: 'https://example.com/radio/ep-1.mp3' },
    { id: 'ep-2', title: '第2回 CEKの仕組み' },
  ],
  streamUrlFor: (episode) => `https://example.com/radio/${episode.id}.mp3?expires=${Date.now() + 60_000}`,
});
const server = await serve(app, { port: Number(process.env.PORT ?? 3000) });
console.log(`podcast player listening on ${server.url}`);
