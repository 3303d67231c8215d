/**
 * serve() at the edges of HTTP/1.1, over raw sockets: exact bytes in, every byte out until the
 * server closes. Pipelined answers must keep their order (RFC 9112 §9.3.2), and requests HTTP/1.1
 * says to refuse get cekit's JSON refusal, never the handler and never Node's bare status line.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createEndpoint, silentLogger, type Dispatcher } from 'cekit';
import { serve, type RunningServer } from 'cekit/node';
import { signedVector } from '../helpers/fixtures.js';
import { rejectionResponse } from '../../src/adapters/raw-body.js';

const launch = signedVector('signed-launch-request');
const BODY = Buffer.from(launch.rawBody);
const ANSWER = {
  version: '1.0',
  sessionAttributes: {},
  response: { outputSpeech: {}, card: {}, directives: [], shouldEndSession: true },
};
// Unparseable as the start of a request: Node's parser fails on the first byte.
const GARBAGE = '\u0001\u0002garbage\r\n\r\n';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

let running: RunningServer | undefined;
let dispatched = 0;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(dispatch: Dispatcher['dispatch'] = () => ANSWER): Promise<number> {
  dispatched = 0;
  const endpoint = createEndpoint({
    dispatcher: {
      kinds: ['custom'],
      dispatch: (...args) => {
        dispatched++;
        return dispatch(...args);
      },
    },
    verify: { keyUrl: false },
    extensionId: 'com.chens.morning',
    logger: silentLogger,
  });
  running = await serve(endpoint, { port: 0, handleSignals: false });
  return running.port;
}

/** The signed launch request, with `head` lines and version overridable. */
function signedRequest(options: { version?: string; head?: string[]; contentLength?: number } = {}): Buffer {
  const head = [
    `POST / HTTP/${options.version ?? '1.1'}`,
    ...(options.head ?? ['Host: localhost']),
    'Content-Type: application/json;charset-UTF-8',
    `SignatureCEK: ${launch.signatureCEK}`,
    `Content-Length: ${options.contentLength ?? BODY.byteLength}`,
  ];
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), BODY]);
}

/**
 * Writes `bytes` without ever half-closing, and reads until the server closes. With `thenSend`, those
 * bytes follow once the server sent a `100 Continue`.
 */
function exchange(port: number, bytes: Buffer | string, thenSend?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`server did not close; got ${JSON.stringify(Buffer.concat(chunks).toString())}`));
    }, 3000);
    let continued = false;
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (thenSend && !continued && Buffer.concat(chunks).includes('HTTP/1.1 100 Continue\r\n\r\n')) {
        continued = true;
        socket.write(thenSend);
      }
    });
    socket.on('error', (error) => (clearTimeout(timer), reject(error)));
    socket.on('close', () => (clearTimeout(timer), resolve(Buffer.concat(chunks))));
    socket.write(bytes);
  });
}

/** Splits a byte stream into its responses (all framed by Content-Length; 1xx have no body). */
function responses(raw: Buffer): Answer[] {
  const answers: Answer[] = [];
  let offset = 0;
  while (offset < raw.length) {
    const end = raw.indexOf('\r\n\r\n', offset);
    if (end < 0) throw new Error(`unterminated head: ${raw.subarray(offset).toString('latin1')}`);
    const [statusLine = '', ...lines] = raw.subarray(offset, end).toString('latin1').split('\r\n');
    const status = Number(statusLine.split(' ')[1]);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = status < 200 ? 0 : Number(headers['content-length']);
    if (!Number.isInteger(length)) throw new Error(`no Content-Length in ${statusLine}`);
    answers.push({ status, headers, body: raw.subarray(end + 4, end + 4 + length).toString('utf8') });
    offset = end + 4 + length;
  }
  return answers;
}

function expectHandlerAnswer(answer: Answer | undefined): void {
  expect(answer?.status).toBe(200);
  expect(JSON.parse(answer!.body)).toEqual(ANSWER);
}

/** cekit's JSON refusal for a request Node could not parse: the very bytes the core would send. */
function expectUnparseable(answer: Answer | undefined): void {
  const expected = rejectionResponse('MALFORMED_HTTP');
  expect(answer?.status).toBe(400);
  expect(answer?.headers['content-type']).toBe(expected.headers['content-type']);
  expect(answer?.headers.connection).toBe('close');
  expect(answer?.body).toBe(expected.body);
}

/** cekit's JSON `400 MALFORMED_HTTP` with a detail, for a request Node parsed but HTTP refuses. */
function expectRefused(answer: Answer | undefined, detail: RegExp): void {
  expect(answer?.status).toBe(400);
  expect(answer?.headers['content-type']).toBe('application/json;charset=UTF-8');
  expect(answer?.headers.connection).toBe('close');
  const { error } = JSON.parse(answer!.body) as { error: { code: string; message: string } };
  expect(error.code).toBe('MALFORMED_HTTP');
  expect(error.message).toMatch(detail);
}

describe('cekit/node serve(): answers stay in order on a connection', () => {
  it('answers a valid request, then the unparseable bytes after it, then closes', async () => {
    const port = await start();
    const answers = responses(await exchange(port, Buffer.concat([signedRequest(), Buffer.from(GARBAGE)])));
    expect(answers).toHaveLength(2);
    expectHandlerAnswer(answers[0]);
    expectUnparseable(answers[1]);
    expect(dispatched).toBe(1);
  });

  it('answers every pipelined request before the refusal', async () => {
    const port = await start();
    const raw = await exchange(port, Buffer.concat([signedRequest(), signedRequest(), Buffer.from(GARBAGE)]));
    const answers = responses(raw);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 400]);
    expectHandlerAnswer(answers[1]);
    expectUnparseable(answers[2]);
    expect(dispatched).toBe(2);
  });

  it('waits for an async handler before refusing what follows its request', async () => {
    const port = await start(() => new Promise((resolve) => setTimeout(() => resolve(ANSWER), 50)));
    const answers = responses(await exchange(port, Buffer.concat([signedRequest(), Buffer.from(GARBAGE)])));
    expect(answers).toHaveLength(2);
    expectHandlerAnswer(answers[0]);
    expectUnparseable(answers[1]);
  });

  it('keeps the answer to a body cut at its Content-Length, then refuses the leftover bytes', async () => {
    const port = await start();
    // Node reads the declared 10 bytes short of the body; the rest is parsed as the next request.
    const raw = await exchange(port, signedRequest({ contentLength: BODY.byteLength - 10 }));
    const answers = responses(raw);
    expect(answers).toHaveLength(2);
    // The core's answer for the truncated body: its signature no longer matches.
    expect(answers[0]?.status).toBe(403);
    expect(JSON.parse(answers[0]!.body)).toMatchObject({ error: { code: 'SIGNATURE_INVALID' } });
    expectUnparseable(answers[1]);
    expect(dispatched).toBe(0);
  });

  it('answers a valid request before refusing the broken chunked body of the next one', async () => {
    const port = await start();
    const broken =
      'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
      'Transfer-Encoding: chunked\r\n\r\nzz\r\n';
    const answers = responses(await exchange(port, Buffer.concat([signedRequest(), Buffer.from(broken)])));
    expect(answers).toHaveLength(2);
    expectHandlerAnswer(answers[0]);
    expectUnparseable(answers[1]);
    expect(dispatched).toBe(1);
  });
});

describe('cekit/node serve(): requests HTTP/1.1 says to refuse', () => {
  it('refuses an Expect other than 100-continue with JSON, without calling the handler', async () => {
    const port = await start();
    const answers = responses(
      await exchange(port, signedRequest({ head: ['Host: localhost', 'Expect: foo'] })),
    );
    expect(answers).toHaveLength(1);
    expectRefused(answers[0], /100-continue/);
    expect(dispatched).toBe(0);
  });

  it('still serves Expect: 100-continue (Continue first, then the answer)', async () => {
    const port = await start();
    const request = signedRequest({ head: ['Host: localhost', 'Expect: 100-continue', 'Connection: close'] });
    const headEnd = request.indexOf('\r\n\r\n') + 4;
    const raw = await exchange(port, request.subarray(0, headEnd), request.subarray(headEnd));
    const answers = responses(raw);
    expect(answers.map((answer) => answer.status)).toEqual([100, 200]);
    expectHandlerAnswer(answers[1]);
  });

  it('refuses an HTTP/1.1 request without Host with JSON', async () => {
    const port = await start();
    const answers = responses(await exchange(port, signedRequest({ head: [] })));
    expect(answers).toHaveLength(1);
    expectRefused(answers[0], /Host/);
    expect(dispatched).toBe(0);
  });

  it('still serves an HTTP/1.0 request without Host', async () => {
    const port = await start();
    const answers = responses(await exchange(port, signedRequest({ version: '1.0', head: [] })));
    expect(answers).toHaveLength(1);
    expectHandlerAnswer(answers[0]);
  });

  it('refuses two Host lines with JSON, without calling the handler', async () => {
    const port = await start();
    const answers = responses(
      await exchange(port, signedRequest({ head: ['Host: localhost', 'host: elsewhere.example'] })),
    );
    expect(answers).toHaveLength(1);
    expectRefused(answers[0], /more than once/);
    expect(dispatched).toBe(0);
  });

  it.each([
    'Host: a/b',
    'Host: ',
    'Host: R27.0.0.1:1',
    'Host: 1.2.3.999',
    'Host: xn--a.jp',
    'Host: ex ample.com',
  ])('refuses %j, which is not a valid host, with JSON', async (line) => {
    const port = await start();
    const answers = responses(await exchange(port, signedRequest({ head: [line] })));
    expect(answers).toHaveLength(1);
    expectRefused(answers[0], /not a valid host/);
    expect(dispatched).toBe(0);
  });

  it.each(['Host: example.com', 'Host: clova.example.co.jp:443', 'Host: 127.0.0.1:3000', 'Host: [::1]:8080'])(
    'serves %j',
    async (line) => {
      const port = await start();
      const answers = responses(await exchange(port, signedRequest({ head: [line, 'Connection: close'] })));
      expectHandlerAnswer(answers[0]);
    },
  );

  it.each([
    ['a request line without a version', 'POST /\r\n\r\n'],
    ['HTTP/2.0 in a request line', 'POST / HTTP/2.0\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n'],
  ])('refuses %s with JSON', async (_name, bytes) => {
    const port = await start();
    const answers = responses(await exchange(port, bytes));
    expect(answers).toHaveLength(1);
    expectRefused(answers[0], /HTTP\/1\.0 and HTTP\/1\.1/);
    expect(dispatched).toBe(0);
  });
});
