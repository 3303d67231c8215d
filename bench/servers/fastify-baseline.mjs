// The practical limit on Fastify: one route, a buffer body parser, one crypto.verify with a key
// object prepared once, JSON.parse, a fixed pre-serialised answer. What cekit-fastify is held to.
import { createPublicKey, verify } from 'node:crypto';
import Fastify from 'fastify';
import { JP_KEY_PEM } from '../lib/vector.mjs';

export const row = {
  name: 'fastify-baseline',
  description:
    'bare Fastify 5 + buffer parser + crypto.verify (prepared KeyObject) + JSON.parse + fixed answer',
  order: 40,
  payload: { vector: 'signed-launch-request' },
};

const ANSWER = JSON.stringify({
  version: '1.0',
  sessionAttributes: {},
  response: { outputSpeech: {}, card: {}, directives: [], shouldEndSession: true },
});

export async function start({ port }) {
  const key = createPublicKey(JP_KEY_PEM);
  const app = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.post('/', async (request, reply) => {
    const signature = Buffer.from(String(request.headers.signaturecek), 'base64');
    if (!verify('sha256', request.body, key, signature)) return reply.code(403).send();
    JSON.parse(request.body.toString('utf8'));
    return reply.code(200).header('content-type', 'application/json;charset=UTF-8').send(ANSWER);
  });
  await app.listen({ port, host: '127.0.0.1' });
  return { close: () => app.close() };
}
