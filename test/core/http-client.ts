import { request } from 'node:http';
import { connect } from 'node:net';

/** What a test sends over loopback HTTP; arrays become repeated header lines. */
export interface HttpSend {
  method?: string;
  headers?: Record<string, string | readonly string[]>;
  body?: Uint8Array;
  /** Send the body as several chunks with `Transfer-Encoding: chunked` (no Content-Length). */
  chunked?: boolean;
  /** Declare this Content-Length, whatever the body really is. */
  declaredLength?: number;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A deliberately low-level client: `fetch` would normalise or refuse the malformed requests these
 * tests need (repeated headers, lying Content-Length, chunked uploads). Resolves on the first
 * response even if the server cut the upload short.
 */
export function send(url: string, input: HttpSend): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: input.method ?? 'POST', agent: false });
    for (const [name, value] of Object.entries(input.headers ?? {})) req.setHeader(name, value);
    const body = input.body ?? new Uint8Array(0);
    if (input.declaredLength !== undefined) req.setHeader('content-length', input.declaredLength);
    else if (!input.chunked) req.setHeader('content-length', body.byteLength);
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
      res.on('error', reject);
    });
    // An early answer (413) makes the server stop reading; the rest of the upload may then fail.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (input.chunked) {
      const step = 16 * 1024;
      for (let offset = 0; offset < body.byteLength; offset += step) {
        req.write(body.subarray(offset, offset + step));
      }
      req.end();
    } else if (input.declaredLength !== undefined && input.declaredLength > body.byteLength) {
      // Leave the request open: the server must answer from the declared length alone.
      req.write(body);
      req.flushHeaders();
    } else req.end(body);
  });
}

/** Writes raw bytes on a fresh connection and returns everything the server sent before closing. */
export function sendRaw(port: number, raw: string | Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.end(raw);
  });
}
