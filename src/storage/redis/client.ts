/**
 * The part of a node-redis client (`createClient()` from `redis`, v4 or later) that `redisStore` uses.
 * Declared here, not imported, so `cekit/redis` loads and type-checks without the driver installed.
 */
export interface NodeRedisClientLike {
  sendCommand(args: string[]): Promise<unknown>;
  readonly isReady: boolean;
  on(event: 'error' | 'ready', listener: (value: unknown) => void): unknown;
  off(event: 'error' | 'ready', listener: (value: unknown) => void): unknown;
}

/** The part of an ioredis client (`new Redis()`, or a `Cluster`) that `redisStore` uses. */
export interface IoRedisClientLike {
  call(command: string, args: string[]): Promise<unknown>;
  readonly status: string;
  on(event: 'error' | 'ready', listener: (value: unknown) => void): unknown;
  off(event: 'error' | 'ready', listener: (value: unknown) => void): unknown;
}

/** A connected (or connecting) node-redis v4+ or ioredis client. */
export type RedisClientLike = NodeRedisClientLike | IoRedisClientLike;

/**
 * One round trip's fate, shared by the sender and whoever gives up on it: a command not yet sent
 * when the caller gives up is never sent, so it cannot take effect after its caller answered.
 */
export interface Attempt {
  abandoned: boolean;
  sent: boolean;
  /** Ends a wait for the connection to become ready (set while waiting). */
  cancel?: () => void;
}

/** Thrown instead of sending a command whose caller gave up while the connection was not ready. */
const ABANDONED = new Error('the command was abandoned before the connection was ready');

/** Either driver behind one `send(args)`, plus the readiness both expose differently. */
export class RedisConnection {
  /** Sends one command (`args[0]` is its name) and resolves with the driver's reply. */
  readonly send: (args: string[]) => Promise<unknown>;
  readonly #isReady: () => boolean;

  /** Wakes every attempt waiting for the connection: one listener on the client, however many wait. */
  readonly #waiting = new Set<() => void>();
  readonly #wake = (): void => {
    this.client.off('ready', this.#wake);
    for (const wake of this.#waiting) wake();
    this.#waiting.clear();
  };

  constructor(private readonly client: RedisClientLike) {
    if (isIoRedis(client)) {
      this.send = (args) => client.call(args[0]!, args.slice(1));
      // 'wait' is a lazyConnect client that connects on its first command: waiting would never end.
      this.#isReady = () => client.status === 'ready' || client.status === 'wait';
    } else {
      this.send = (args) => client.sendCommand(args);
      this.#isReady = () => client.isReady !== false;
    }
  }

  /**
   * Sends `args` once the connection is ready. Drivers queue commands while disconnected and send
   * them on reconnection, long after the caller gave up; waiting here instead lets an abandoned
   * command stay unsent.
   */
  async sendWhenReady(args: string[], attempt: Attempt): Promise<unknown> {
    if (!this.#isReady()) await this.#ready(attempt);
    if (attempt.abandoned) throw ABANDONED;
    attempt.sent = true;
    return this.send(args);
  }

  /** Calls `listener` on every error the client emits (each failed connection attempt). */
  onError(listener: (error: unknown) => void): void {
    this.client.on('error', listener);
  }

  #ready(attempt: Attempt): Promise<void> {
    return new Promise((resolve, reject) => {
      const wake = () => {
        attempt.cancel = undefined;
        resolve();
      };
      attempt.cancel = () => {
        this.#waiting.delete(wake);
        if (this.#waiting.size === 0) this.client.off('ready', this.#wake);
        reject(ABANDONED);
      };
      if (this.#waiting.size === 0) this.client.on('ready', this.#wake);
      this.#waiting.add(wake);
    });
  }
}

/** Which driver `client` comes from, or a TypeError naming what redisStore accepts. */
export function checkClient(client: unknown): asserts client is RedisClientLike {
  const candidate = client as Partial<Record<string, unknown>> | null | undefined;
  const usable =
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.on === 'function' &&
    typeof candidate.off === 'function' &&
    (isIoRedis(candidate) || typeof candidate.sendCommand === 'function');
  if (!usable)
    throw new TypeError(
      `redisStore: \`client\` must be a node-redis client (createClient() of the redis package, v4 or later) ` +
        `or an ioredis client (new Redis()); got ${describe(client)}.`,
    );
}

/** ioredis also has a `sendCommand` (taking its own Command objects): tell it apart first. */
function isIoRedis(client: object): client is IoRedisClientLike {
  const candidate = client as Partial<Record<string, unknown>>;
  return typeof candidate.call === 'function' && typeof candidate.status === 'string';
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object') return `a ${typeof value}`;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? `a ${name}` : 'an object';
}
