// The practical limit on this runtime: bare node:http, one crypto.verify with a key object prepared
// once, JSON.parse, a fixed JSON answer. No routing, no checks beyond the signature.
import { createPublicKey, verify } from 'node:crypto';
import { createServer } from 'node:http';
import { JP_KEY_PEM } from '../lib/vector.mjs';

export const row = {
  name: 'baseline',
  description: 'bare node:http + crypto.verify (prepared KeyObject) + JSON.parse + fixed answer',
  order: 0,
  payload: { vector: 'signed-launch-request' },
};

const ANSWER = JSON.stringify({
  version: '1.0',
  sessionAttributes: {},
  response: { outputSpeech: {}, card: {}, directives: [], shouldEndSession: true },
});

export async function start({ port }) {
  const key = createPublicKey(JP_KEY_PEM);
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const signature = Buffer.from(String(req.headers.signaturecek), 'base64');
      if (!verify('sha256', body, key, signature)) {
        res.writeHead(403).end();
        return;
      }
      JSON.parse(body.toString('utf8'));
      res.writeHead(200, {
        'content-type': 'application/json;charset=UTF-8',
        'content-length': Buffer.byteLength(ANSWER),
      });
      res.end(ANSWER);
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { close: () => new Promise((resolve) => server.close(resolve)) };
}
