// A hand-written node:http CEK server: collect the body, one crypto.verify with a key object prepared
// at start-up, JSON.parse, then `answer(message)` builds the reply text. The rows built on it are
// what a careful developer would write without a framework, for the same work as a cekit row.
import { createPublicKey, verify } from 'node:crypto';
import { createServer } from 'node:http';

export async function startBare({ port, publicKeyPem, answer }) {
  const key = createPublicKey(publicKeyPem);
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
      const text = answer(JSON.parse(body.toString('utf8')));
      res.writeHead(200, {
        'content-type': 'application/json;charset=UTF-8',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { close: () => new Promise((resolve) => server.close(resolve)) };
}
