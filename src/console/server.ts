import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ownPackage } from '../cli/own-package.js';
import { ConfigurationError } from '../core/errors.js';
import { API, type ConsoleApiError, type RunBody, type TokenBody } from './protocol.js';
import type { ConsoleSession } from './session.js';
import { renderShell } from './shell.js';

/**
 * The browser console's server: the page, its two assets and the JSON API of protocol.ts, on loopback
 * only. The console signs requests with the developer's key and drives their extension, so no other
 * web page may reach it: the Host header must name loopback (DNS rebinding), and a POST must be JSON
 * from the console's own origin (a cross-site form can send neither).
 */
export interface ConsoleServerOptions {
  session: ConsoleSession;
  /** Default 0: a free port. */
  port?: number;
  /** Only `127.0.0.1`: anything else is refused (the console is for this machine). */
  host?: string;
  /** Where `app.js` and `app.css` are; default `<cekit package>/dist/console`. */
  assetsDir?: string;
  /** Where failures of the console itself are reported (never with a request body). */
  log?: (message: string) => void;
}

export interface RunningConsole {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
/** A command line is short; a token too. */
const BODY_LIMIT = 64 * 1024;

/** Audio clips of the extension may be anywhere; everything else comes from the console itself. */
const CSP =
  "default-src 'self'; media-src * data: blob:; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': CSP,
};

/** An API call the console refuses: answered `{ error: { code, message } }` with `status`. */
class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiRefusal';
  }
}

interface Answer {
  status: number;
  type: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}

/** A file served as is: read and gzipped once, revalidated by its ETag. */
interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer;
  etag: string;
}

function asset(type: string, body: Buffer): Asset {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { type, body, gzip: gzipSync(body), etag };
}

const ASSET_TYPES: Readonly<Record<string, string>> = {
  '/app.js': 'text/javascript; charset=utf-8',
  '/app.css': 'text/css; charset=utf-8',
};

const json = (status: number, value: unknown): Answer => ({
  status,
  type: 'application/json; charset=utf-8',
  body: JSON.stringify(value),
  headers: { 'cache-control': 'no-store' },
});

/** Starts the console on `127.0.0.1`; resolves once it listens. */
export async function startConsole(options: ConsoleServerOptions): Promise<RunningConsole> {
  if (options.host !== undefined && options.host !== LOOPBACK)
    throw new ConfigurationError(
      'CONSOLE_NOT_LOOPBACK',
      `The console listens on ${LOOPBACK} only (it drives your extension with your key), not ${options.host}`,
    );
  const { session } = options;
  const log = options.log ?? (() => undefined);
  const assetsDir = options.assetsDir ?? (await defaultAssetsDir());
  const page = asset('text/html; charset=utf-8', Buffer.from(renderShell()));
  const assets = new Map<string, Asset>();
  let port = 0;

  /** The built asset, read once; a missing one is looked for again, so `npm run build` meanwhile works. */
  async function builtAsset(path: string, type: string): Promise<Asset | undefined> {
    const known = assets.get(path);
    if (known || !assetsDir) return known;
    try {
      const loaded = asset(type, await readFile(join(assetsDir, path.slice(1))));
      assets.set(path, loaded);
      return loaded;
    } catch {
      return undefined;
    }
  }

  const routes: Record<string, { method: 'GET' | 'POST'; handle(body: unknown): Promise<Answer> | Answer }> =
    {
      [API.state]: { method: 'GET', handle: () => json(200, session.state()) },
      [API.run]: {
        method: 'POST',
        handle: async (body) => json(200, await session.run(runLine(body))),
      },
      [API.token]: {
        method: 'POST',
        handle: async (body) => {
          await session.setToken(tokenOf(body));
          return json(200, session.state());
        },
      },
      [API.reset]: {
        method: 'POST',
        handle: async () => {
          await session.reset();
          return json(200, session.state());
        },
      },
      [API.exportScript]: {
        method: 'GET',
        handle: () => ({
          status: 200,
          type: 'text/plain; charset=utf-8',
          body: session.exportScript(),
          headers: {
            'cache-control': 'no-store',
            'content-disposition': 'attachment; filename="dialogue.txt"',
          },
        }),
      },
      [API.exportJson]: {
        method: 'GET',
        handle: () => ({
          ...json(200, session.exportJson()),
          headers: {
            'cache-control': 'no-store',
            'content-disposition': 'attachment; filename="exchanges.json"',
          },
        }),
      },
    };

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const hosts = [`${LOOPBACK}:${port}`, `localhost:${port}`, `[::1]:${port}`];
    // DNS rebinding: a hostile name resolving to 127.0.0.1 still sends its own name as Host.
    if (!hosts.includes((request.headers.host ?? '').toLowerCase()))
      throw new ApiRefusal(403, 'HOST_REFUSED', `The console answers only to ${hosts.join(', ')}`);
    const path = new URL(request.url ?? '/', `http://${LOOPBACK}`).pathname;
    const method = request.method ?? 'GET';

    if (path === '/' || ASSET_TYPES[path]) {
      if (method !== 'GET')
        throw new ApiRefusal(405, 'METHOD_NOT_ALLOWED', `${path} takes GET`, { allow: 'GET' });
      const type = ASSET_TYPES[path];
      const found = type ? await builtAsset(path, type) : page;
      if (!found)
        return send(response, {
          status: 503,
          type: 'text/plain; charset=utf-8',
          body: "the console's page is not built: run npm run build\n",
          headers: { 'cache-control': 'no-store' },
        });
      return sendAsset(request, response, found);
    }

    const route = routes[path];
    if (!route) throw new ApiRefusal(404, 'NOT_FOUND', `No such console route: ${path}`);
    if (method !== route.method)
      throw new ApiRefusal(405, 'METHOD_NOT_ALLOWED', `${path} takes ${route.method}`, {
        allow: route.method,
      });
    let body: unknown;
    if (method === 'POST') {
      const origin = request.headers.origin;
      if (origin !== undefined && !hosts.some((host) => origin.toLowerCase() === `http://${host}`))
        throw new ApiRefusal(403, 'ORIGIN_REFUSED', `Only the console's own page may call it, not ${origin}`);
      if (!/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? ''))
        throw new ApiRefusal(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          'POST a JSON body (content-type: application/json)',
        );
      body = parseBody(await readBody(request));
    }
    return send(response, await route.handle(body));
  }

  const server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (error instanceof ApiRefusal) {
        const refusal: ConsoleApiError = { error: { code: error.code, message: error.message } };
        // A body left unread (too large, refused early) is not worth reading: close the connection.
        const unread: Record<string, string> = request.readableEnded ? {} : { connection: 'close' };
        const { headers, ...rest } = json(error.status, refusal);
        send(response, { ...rest, headers: { ...headers, ...error.headers, ...unread } });
        return;
      }
      log(
        `console: ${request.method} ${request.url} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      send(
        response,
        json(500, { error: { code: 'INTERNAL', message: 'The console failed; see its terminal' } }),
      );
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('the console server has no TCP address');
  port = address.port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${LOOPBACK}:${port}/`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function defaultAssetsDir(): Promise<string | undefined> {
  try {
    return join((await ownPackage()).root, 'dist', 'console');
  } catch {
    return undefined; // Not inside a cekit package: the page answers 503.
  }
}

function send(response: ServerResponse, answer: Answer): void {
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
  response.writeHead(answer.status, {
    ...COMMON_HEADERS,
    'content-type': answer.type,
    'content-length': String(body.length),
    ...answer.headers,
  });
  response.end(body);
}

function sendAsset(request: IncomingMessage, response: ServerResponse, found: Asset): void {
  const headers = { 'cache-control': 'no-cache', etag: found.etag, vary: 'accept-encoding' };
  if (request.headers['if-none-match'] === found.etag) {
    response.writeHead(304, { ...COMMON_HEADERS, ...headers });
    response.end();
    return;
  }
  const gzip = /\bgzip\b/i.test(String(request.headers['accept-encoding'] ?? ''));
  send(response, {
    status: 200,
    type: found.type,
    body: gzip ? found.gzip : found.body,
    headers: { ...headers, ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
  });
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const tooLarge = () =>
    new ApiRefusal(413, 'BODY_TOO_LARGE', `The console takes bodies up to ${BODY_LIMIT / 1024} KiB`);
  if (Number(request.headers['content-length'] ?? 0) > BODY_LIMIT) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += bytes.length;
    if (size > BODY_LIMIT) throw tooLarge();
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

function parseBody(bytes: Buffer): unknown {
  if (bytes.length === 0) return {};
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    throw new ApiRefusal(400, 'BAD_JSON', 'The body is not JSON');
  }
}

function runLine(body: unknown): RunBody['line'] {
  if (typeof body === 'object' && body !== null && 'line' in body && typeof body.line === 'string')
    return body.line;
  throw new ApiRefusal(400, 'BAD_BODY', 'POST /api/run takes { "line": "<a command line>" }');
}

function tokenOf(body: unknown): TokenBody['token'] {
  if (typeof body === 'object' && body !== null && 'token' in body) {
    if (body.token === null) return null;
    if (typeof body.token === 'string' && body.token !== '') return body.token;
  }
  throw new ApiRefusal(400, 'BAD_BODY', 'POST /api/token takes { "token": "<access token>" } (null: none)');
}
