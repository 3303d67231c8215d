import { describe, expect, it } from 'vitest';
import { silentLogger } from 'cekit';
import { createHomeExtension, validateHomeMessage, type HomeScene } from 'cekit/home';
import { buildActionSceneRequest, buildDiscoverScenesRequest } from 'cekit/testing';
import { send, warningLogger } from './helpers.js';

const SCENES: HomeScene[] = [
  {
    sceneId: 'scene-001',
    sceneName: 'おはよう',
    needsUserConfirmation: true,
    additionalSceneDetails: { bridge: 7 },
  },
  { sceneId: 'scene-002', sceneName: 'おやすみ' },
];

function sceneHome(asyncHooks = false) {
  const ran: { sceneId: string; details: unknown; user: string }[] = [];
  const home = createHomeExtension({
    logger: silentLogger,
    authenticate: (token) => (token ? { user: 'alice', appliances: [] } : undefined),
    scenes: (user) => (asyncHooks ? Promise.resolve(user === 'alice' ? SCENES : []) : SCENES),
    actionScene: async ({ scene, user, request }) => {
      expect(request.scene.sceneId).toBe(scene.sceneId);
      ran.push({ sceneId: scene.sceneId, details: scene.additionalSceneDetails, user });
    },
  });
  return { home, ran };
}

describe('scenes (JP §3, §4.4.4 ActionScene)', () => {
  it('ActionSceneRequest reaches the actionScene handler with the discovered scene and the user', async () => {
    const { home, ran } = sceneHome();
    const reply = await send(home, buildActionSceneRequest({ sceneId: 'scene-001', sceneName: 'おはよう' }));
    expect(reply.header.name).toBe('ActionSceneConfirmation');
    expect(reply.payload).toEqual({});
    expect(validateHomeMessage(reply)).toEqual([]);
    // The handler sees the scene as listed (with its details), not only what the request carried.
    expect(ran).toEqual([{ sceneId: 'scene-001', details: { bridge: 7 }, user: 'alice' }]);
  });

  it('an unknown scene id answers NoSuchTargetError without running the handler', async () => {
    const { home, ran } = sceneHome();
    const reply = await send(home, buildActionSceneRequest({ sceneId: 'scene-404', sceneName: 'x' }));
    expect(reply.header.name).toBe('NoSuchTargetError');
    expect(ran).toEqual([]);
  });

  it('scenes() may be async like authenticate() (discovery and ActionScene)', async () => {
    const { home, ran } = sceneHome(true);
    const discovered = await send(home, buildDiscoverScenesRequest());
    expect(discovered.header.name).toBe('DiscoverScenesResponse');
    expect(discovered.payload).toEqual({ discoveredScenes: SCENES });
    expect(validateHomeMessage(discovered)).toEqual([]);
    const run = await send(home, buildActionSceneRequest({ sceneId: 'scene-002', sceneName: 'おやすみ' }));
    expect(run.header.name).toBe('ActionSceneConfirmation');
    expect(ran.map((entry) => entry.sceneId)).toEqual(['scene-002']);
  });

  it('a scene without an actionScene handler is unsupported, and the missing handler is warned about at start', async () => {
    const logger = warningLogger();
    const home = createHomeExtension({
      logger,
      authenticate: () => ({ user: {}, appliances: [] }),
      scenes: () => SCENES,
    });
    expect(logger.warnings.join('\n')).toContain('`actionScene` is not');
    const reply = await send(home, buildActionSceneRequest({ sceneId: 'scene-001', sceneName: 'おはよう' }));
    expect(reply.header.name).toBe('UnsupportedOperationError');
  });

  it('a HomeError thrown by actionScene becomes that error reply', async () => {
    const { HomeError } = await import('cekit/home');
    const home = createHomeExtension({
      logger: silentLogger,
      authenticate: () => ({ user: {}, appliances: [] }),
      scenes: () => SCENES,
      actionScene: () => {
        throw new HomeError('TargetOfflineError');
      },
    });
    const reply = await send(home, buildActionSceneRequest({ sceneId: 'scene-001', sceneName: 'おはよう' }));
    expect(reply.header.name).toBe('TargetOfflineError');
  });
});
