// The official LINE SDK as its README shows it: Express 4 (the version it was written for) and
// its verifying middleware (signature + applicationId), with a LaunchRequest handler.
import clova from '@line/clova-cek-sdk-nodejs';
import express from 'express4';

export const row = {
  name: 'official-sdk',
  description: '@line/clova-cek-sdk-nodejs 1.x + Express 4 + its verifying middleware',
  order: 20,
  payload: { vector: 'signed-launch-request' },
};

export async function start({ port }) {
  const handler = clova.Client.configureSkill()
    .onLaunchRequest((responseHelper) => {
      responseHelper.setSimpleSpeech({ lang: 'ja', type: 'PlainText', value: '' });
      responseHelper.endSession();
    })
    .handle();
  const app = express();
  app.post('/', clova.Middleware({ applicationId: 'com.chens.morning' }), handler);
  const server = await new Promise((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });
  return { close: () => new Promise((resolve) => server.close(resolve)) };
}
