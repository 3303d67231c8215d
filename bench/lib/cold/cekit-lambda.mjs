// The smallest cekit Lambda extension: a verified endpoint (bundled JP key, never downloaded, like
// every bench row) answering a LaunchRequest. The entry of the bundle-size comparison, and what
// the cold run's cekit child imports.
import { createExtension } from 'cekit';
import { toLambdaHandler } from 'cekit/lambda';

const app = createExtension({ extensionId: 'com.chens.morning', verify: { keyUrl: false } });
app.launch((ctx) => ctx.say('おはようございます'));

export const handler = toLambdaHandler(app);
