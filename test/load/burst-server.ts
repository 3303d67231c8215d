// Child process of burst.test.ts: a Custom extension whose intent handler never answers, served by
// serve(). Prints its port, then serves until killed.
import { createExtension, silentLogger } from 'cekit';
import { serve } from 'cekit/node';

const [publicKeyPem, extensionId] = process.argv.slice(2) as [string, string];
const app = createExtension({
  extensionId,
  verify: { keys: [publicKeyPem], bundledKey: false, keyUrl: false },
  logger: silentLogger,
});
app.intent('Hang', () => new Promise<void>(() => {}));
app.intent('Warm', (ctx) => ctx.say('warm'));
const server = await serve(app, { port: 0, host: '127.0.0.1' });
process.stdout.write(`${server.port}\n`);
