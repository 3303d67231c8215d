/**
 * Requests Node's HTTP parser refuses before any adapter code runs. cekit answers them (serve(), or
 * `protectServer` on a server the application made) with its JSON MALFORMED_HTTP; these cases check
 * that no byte sequence gets Node's bare status line, a 5xx or silence instead.
 */
import type { Random } from './prng.js';

export interface RawCase {
  name: string;
  bytes: Buffer;
  /** True when the request is still well-formed HTTP after the mutation may have left it so. */
  mayBeValid: boolean;
}

const CRLF = '\r\n';

function head(lines: string[], body = ''): Buffer {
  return Buffer.from(lines.join(CRLF) + CRLF + CRLF + body, 'latin1');
}

/** `valid` (a request from `encodeRequest`) with one more header line right after the request line. */
function withHeader(valid: Buffer, line: string): Buffer {
  const firstLine = valid.indexOf('\r\n') + 2;
  return Buffer.concat([
    valid.subarray(0, firstLine),
    Buffer.from(`${line}\r\n`, 'latin1'),
    valid.subarray(firstLine),
  ]);
}

/** `valid` with its Host line replaced by `line`, or removed when `line` is undefined. */
export function withHost(valid: Buffer, line: string | undefined): Buffer {
  const text = valid.toString('latin1');
  const start = text.indexOf('\r\nHost: ') + 2;
  const end = text.indexOf('\r\n', start) + 2;
  return Buffer.concat([
    valid.subarray(0, start),
    Buffer.from(line === undefined ? '' : `${line}\r\n`, 'latin1'),
    valid.subarray(end),
  ]);
}

/**
 * Well-formed requests at the edges of what Node handles itself: an `Expect` it does not know (Node
 * answers a bare 417 unless someone listens), HTTP/1.0, a repeated Host. `valid` is a genuine request.
 */
export function edgeRequests(valid: Buffer): RawCase[] {
  const http10 = Buffer.from(valid.toString('latin1').replace(' HTTP/1.1\r\n', ' HTTP/1.0\r\n'), 'latin1');
  return [
    { name: 'Expect: 100-continue', bytes: withHeader(valid, 'Expect: 100-continue'), mayBeValid: true },
    { name: 'Expect: something else', bytes: withHeader(valid, 'Expect: x-fuzz'), mayBeValid: false },
    { name: 'HTTP/1.0', bytes: http10, mayBeValid: true },
    { name: 'a second Host', bytes: withHeader(valid, 'Host: example.com'), mayBeValid: true },
  ];
}

/** Fixed malformed requests: framing, request line, header syntax, sizes. */
export function malformedRequests(path: string): RawCase[] {
  const json = { type: 'Content-Type: application/json', host: 'Host: 127.0.0.1' };
  const cases: Array<[string, Buffer]> = [
    ['garbage request line', head(['GARBAGE'])],
    ['HTTP/9.9', head([`POST ${path} HTTP/9.9`, json.host, json.type, 'Content-Length: 2'], '{}')],
    ['no version', head([`POST ${path}`, json.host])],
    ['unknown method', head([`FROB ${path} HTTP/1.1`, json.host, 'Content-Length: 0'])],
    ['lower-case method', head([`post ${path} HTTP/1.1`, json.host, 'Content-Length: 0'])],
    [
      'NUL in a header value',
      head([`POST ${path} HTTP/1.1`, json.host, 'SignatureCEK: a\0b', 'Content-Length: 0']),
    ],
    [
      'bare CR in a header',
      head([`POST ${path} HTTP/1.1`, json.host, 'X-A: 1\rX-B: 2', 'Content-Length: 0']),
    ],
    [
      'space before the colon',
      head([`POST ${path} HTTP/1.1`, json.host, 'SignatureCEK : x', 'Content-Length: 0']),
    ],
    [
      'header line without a colon',
      head([`POST ${path} HTTP/1.1`, json.host, 'SignatureCEK', 'Content-Length: 0']),
    ],
    [
      'obsolete line folding',
      head([`POST ${path} HTTP/1.1`, json.host, json.type, ' folded', 'Content-Length: 0']),
    ],
    [
      'two different Content-Length',
      head([`POST ${path} HTTP/1.1`, json.host, json.type, 'Content-Length: 2', 'Content-Length: 3'], '{}'),
    ],
    ['negative Content-Length', head([`POST ${path} HTTP/1.1`, json.host, json.type, 'Content-Length: -1'])],
    [
      'Content-Length not a number',
      head([`POST ${path} HTTP/1.1`, json.host, json.type, 'Content-Length: 2x'], '{}'),
    ],
    [
      'Content-Length and chunked together',
      head(
        [`POST ${path} HTTP/1.1`, json.host, json.type, 'Content-Length: 5', 'Transfer-Encoding: chunked'],
        '2\r\n{}\r\n0\r\n\r\n',
      ),
    ],
    [
      'invalid chunk size',
      head(
        [`POST ${path} HTTP/1.1`, json.host, json.type, 'Transfer-Encoding: chunked'],
        'zz\r\n{}\r\n0\r\n\r\n',
      ),
    ],
    [
      'unknown transfer coding',
      head(
        [`POST ${path} HTTP/1.1`, json.host, json.type, 'Transfer-Encoding: gzip, chunked, foo'],
        '0\r\n\r\n',
      ),
    ],
    [
      'headers larger than Node allows',
      head([
        `POST ${path} HTTP/1.1`,
        json.host,
        json.type,
        `SignatureCEK: ${'A'.repeat(20_000)}`,
        'Content-Length: 0',
      ]),
    ],
    [
      'non-ASCII in the request target',
      head([`POST ${path}\u00ff HTTP/1.1`, json.host, 'Content-Length: 0']),
    ],
    [
      'binary noise',
      Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0x0d, 0x0a, 0x0d, 0x0a]),
    ],
  ];
  return cases.map(([name, bytes]) => ({ name, bytes, mayBeValid: false }));
}

/**
 * A valid request with one byte of its head changed: in the method or in a header line, never in the
 * path (a different route is the application's 404, not cekit's) and never in Content-Length (a
 * length that grows waits for a body that never comes). The result may still be valid HTTP.
 */
export function mutatedHead(rng: Random, valid: Buffer): RawCase {
  const end = valid.indexOf('\r\n\r\n');
  const text = valid.subarray(0, end).toString('latin1');
  const lines = text.split(CRLF);
  const candidates: number[] = [];
  let offset = 0;
  lines.forEach((line, index) => {
    if (index === 0) {
      for (let i = 0; i < line.indexOf(' '); i++) candidates.push(offset + i);
    } else if (!/^content-length:/i.test(line)) {
      for (let i = 0; i < line.length; i++) candidates.push(offset + i);
    }
    offset += line.length + 2;
  });
  const at = rng.pick(candidates);
  const bytes = Buffer.from(valid);
  const replacement = rng.chance(0.5)
    ? rng.int(0, 255)
    : rng.pick([0x00, 0x0a, 0x0d, 0x3a, 0x20, 0x7f, 0xff]);
  bytes[at] = replacement;
  return { name: `head byte ${at} = 0x${replacement.toString(16)}`, bytes, mayBeValid: true };
}

/**
 * The request a server would see in `bytes` if it parses them leniently enough to answer 200, so the
 * oracle can judge whether that 200 was deserved. Only for Content-Length requests made by
 * `encodeRequest`.
 */
export function parsedRequest(bytes: Buffer): {
  method: string;
  headers: Array<[string, string]>;
  body: Uint8Array;
} {
  const end = bytes.indexOf('\r\n\r\n');
  const [requestLine = '', ...lines] = bytes
    .subarray(0, end)
    .toString('latin1')
    .split(/\r\n|\n/);
  const headers: Array<[string, string]> = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.push([line.slice(0, colon), line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '')]);
  }
  return { method: requestLine.split(' ')[0] ?? '', headers, body: bytes.subarray(end + 4) };
}
