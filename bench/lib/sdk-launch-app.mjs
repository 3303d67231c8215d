// The Express app the official-sdk and clova-sdk-shim rows share: the official SDK's documented
// setup (its verifying Middleware, then the skill's handle() on a POST route) with a LaunchRequest
// handler. The rows pass in the SDK module (`@line/clova-cek-sdk-nodejs` or `cekit/clova-sdk`) and
// nothing else differs, so both serve the same request with the same code. Express 4, the version
// the SDK was written for. The route is `/`, where the runner sends its requests.
import express from 'express4';

export const APPLICATION_ID = 'com.chens.morning';

/** The skill's LaunchRequest handler, as both rows (and clova-sdk-shim-http) register it. */
export function launchSkill(clova, options) {
  return clova.Client.configureSkill(options).onLaunchRequest((responseHelper) => {
    responseHelper.setSimpleSpeech(clova.SpeechBuilder.createSpeechText('おはようございます'));
    responseHelper.endSession();
  });
}

/** `middlewareOptions` beyond `applicationId` are only for options the SDK does not have. */
export function sdkLaunchApp(clova, middlewareOptions = {}) {
  const app = express();
  app.post(
    '/',
    clova.Middleware({ applicationId: APPLICATION_ID, ...middlewareOptions }),
    launchSkill(clova).handle(),
  );
  return app;
}

/** Listens on 127.0.0.1:port; resolves with what the runner's host expects (`close()`). */
export async function listen(app, port) {
  const server = await new Promise((resolve) => {
    const listening = app.listen(port, '127.0.0.1', () => resolve(listening));
  });
  return { close: () => new Promise((resolve) => server.close(resolve)) };
}
