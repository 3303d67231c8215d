/**
 * Scenes (JP, spec §3, §4.4.4): listing them for `DiscoverScenesRequest` and running one for
 * `ActionSceneRequest`. A scene is found in the user's list, never trusted from the request.
 */

import type { DispatchContext } from '../core/dispatcher.js';
import { isPromiseLike } from '../core/maybe-promise.js';
import { homeMessage, type HomeMessage, type HomePayload } from './messages.js';
import type { RequestPayloadOf } from './names.js';

/** A scene (JP, §6.3 SceneInfoObject), as `DiscoverScenesResponse` lists it. */
export type HomeScene = HomePayload<'DiscoverScenesResponse'>['discoveredScenes'][number];

/** What the `actionScene` handler receives. */
export interface HomeSceneContext<U> {
  /** The scene as `scenes(user)` listed it (with its `additionalSceneDetails`), found by `sceneId`. */
  readonly scene: HomeScene;
  readonly user: U;
  /** The `ActionSceneRequest` payload; contains the access token: never log it. */
  readonly request: RequestPayloadOf<'ActionScene'>;
  readonly signal: AbortSignal;
}

/** The user's scenes, as the `scenes` option returns them (none without the option). */
export type SceneList = readonly HomeScene[] | Promise<readonly HomeScene[]>;

/** `DiscoverScenesRequest`: the user's scenes, as listed. */
export function discoverScenes(scenes: SceneList): HomeMessage | Promise<HomeMessage> {
  const reply = (list: readonly HomeScene[]) =>
    homeMessage('DiscoverScenesResponse', { discoveredScenes: [...list] });
  return isPromiseLike(scenes) ? scenes.then(reply) : reply(scenes);
}

/**
 * `ActionSceneRequest`: runs the listed scene that `request.scene.sceneId` names with `actionScene`, and
 * confirms once it has run.
 */
export function actionScene<U>(
  scenes: SceneList,
  run: ((context: HomeSceneContext<U>) => void | Promise<void>) | undefined,
  user: U,
  request: RequestPayloadOf<'ActionScene'>,
  context: DispatchContext,
): HomeMessage | Promise<HomeMessage> {
  const answer = (list: readonly HomeScene[]): HomeMessage | Promise<HomeMessage> => {
    const sceneId = request.scene?.sceneId;
    const scene = list.find((candidate) => candidate.sceneId === sceneId);
    // §5: a scene the user does not have (any more) is an unknown target, like an appliance.
    if (!scene) return homeMessage('NoSuchTargetError', {});
    if (!run) return homeMessage('UnsupportedOperationError', {});
    const result = run({
      scene,
      user,
      request,
      // Lazy, as for actions: the dispatcher's signal may be built on first read.
      get signal() {
        return context.signal;
      },
    });
    const confirmed = () => homeMessage('ActionSceneConfirmation', {});
    return isPromiseLike(result) ? result.then(confirmed) : confirmed();
  };
  return isPromiseLike(scenes) ? scenes.then(answer) : answer(scenes);
}
