// The official LINE SDK as its README shows it: Express 4 (the version it was written for) and
// its verifying middleware (signature + applicationId), with a LaunchRequest handler.
import clova from '@line/clova-cek-sdk-nodejs';
import { listen, sdkLaunchApp } from '../lib/sdk-launch-app.mjs';

export const row = {
  name: 'official-sdk',
  description: '@line/clova-cek-sdk-nodejs 1.x + Express 4 + its verifying middleware',
  order: 20,
  payload: { vector: 'signed-launch-request' },
};

export async function start({ port }) {
  return listen(sdkLaunchApp(clova), port);
}
