import { nodeBuiltin } from './builtin.js';
import { Redactor } from './log-fields.js';

/**
 * The logger cekit writes to: a message and an object of fields per line. Every `logger` option takes
 * one; pino, winston and `console` fit as they are (cekit recognises pino, whose methods take the fields
 * first, and calls it that way), as does anything else with these four methods.
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface AdaptLoggerOptions {
  /**
   * Field names to redact besides `DEFAULT_REDACTED_KEYS`, at any depth: `['pin', 'email']`. Matched
   * like the defaults: case-insensitive, `-` and `_` ignored.
   */
  redact?: readonly string[];
}

/**
 * The logger cekit really writes to, for any logger you pass: each line's fields cleaned of secrets
 * (the default keys and `options.redact`, at any depth, never mutating your objects), handed to pino
 * as `(fields, message)` and to everything else as `(message, fields)`, and a logger that throws never
 * fails a request. Every `logger` option goes through this; call it yourself to share one logger with
 * extra redacted keys between an extension, its store and its adapter, or to log the same way from
 * your own code. Adapting an adapted logger returns it (or one that also redacts the new keys).
 */
export function adaptLogger(logger: Logger, options: AdaptLoggerOptions = {}): Logger {
  const redact = options.redact ?? [];
  const adapted = ADAPTED.get(logger);
  if (adapted) {
    if (adapted.redactor.covers(redact)) return logger;
    return adapt(adapted.target, [...adapted.extra, ...redact]);
  }
  if (!isLoggerShaped(logger))
    throw new TypeError(
      'cekit: `logger` must have debug, info, warn and error methods (pino, winston, console, consoleLogger()).',
    );
  return adapt(logger, redact);
}

/** The logger an option asks for: the one given, adapted, or JSON lines on the console. */
export function resolveLogger(logger: Logger | undefined, redact?: readonly string[]): Logger {
  if (logger === silentLogger) return logger;
  return adaptLogger(logger ?? consoleLogger(), redact ? { redact } : {});
}

interface Adapted {
  readonly target: Logger;
  readonly extra: readonly string[];
  readonly redactor: Redactor;
}
const ADAPTED = new WeakMap<Logger, Adapted>();

/**
 * The error behind `describeError(error, { stack: true })`'s fields, under a symbol: the logger adapter
 * gives it to pino as `err` and drops it for every other logger (JSON ignores it; `console` would not).
 */
const ERROR: unique symbol = Symbol('cekit: error');

function adapt(target: Logger, extra: readonly string[]): Logger {
  const redactor = new Redactor(extra);
  const fieldsFirst = isPino(target);
  const line = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    try {
      const clean = fields === undefined ? undefined : redactor.fields(fields);
      if (fieldsFirst) {
        const log = target[level] as unknown as (fields: object, message: string) => void;
        log.call(target, clean === undefined ? {} : pinoFields(clean, redactor), message);
      } else if (clean === undefined) target[level](message);
      else target[level](message, ERROR in clean ? withoutError(clean) : clean);
    } catch (error) {
      loggerFailed(error);
    }
  };
  const logger: Logger = {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
  };
  ADAPTED.set(logger, { target, extra, redactor });
  return logger;
}

function isLoggerShaped(value: unknown): value is Logger {
  if (typeof value !== 'object' || value === null) return false;
  const logger = value as Record<string, unknown>;
  return LEVELS.every((level) => typeof logger[level] === 'function');
}

/**
 * pino: its methods read `(fields, message)`, so `(message, fields)` would log the message and drop
 * every field. Recognised by what every pino logger (and child) has: `bindings()`, `child()` and
 * `levels.values`. Winston and console take `(message, fields)` like cekit.
 */
function isPino(logger: Logger): boolean {
  const candidate = logger as unknown as {
    bindings?: unknown;
    child?: unknown;
    levels?: { values?: unknown };
  };
  return (
    typeof candidate.bindings === 'function' &&
    typeof candidate.child === 'function' &&
    typeof candidate.levels?.values === 'object'
  );
}

/**
 * pino's convention for errors: the error itself as `err`, which pino's serializer writes as `type`,
 * `message`, `stack` and the error's own fields (redacted here first), and pino's tools print with the
 * stack. Other loggers get the flat fields of `describeError`.
 */
function pinoFields(fields: Record<string, unknown>, redactor: Redactor): Record<string, unknown> {
  if (!(ERROR in fields)) return fields;
  const {
    error: _message,
    errorName: _name,
    errorCode: _code,
    stack: _stack,
    ...rest
  } = withoutError(fields);
  return { ...rest, err: redactor.value(fields[ERROR]) };
}

/** The fields without the error object `describeError` carries for pino. */
function withoutError(fields: Record<string | symbol, unknown>): Record<string, unknown> {
  const { [ERROR]: _error, ...rest } = fields;
  return rest;
}

let reportedFailure = false;
/** A logger that throws must not fail the request that logged; said once, where it can be seen. */
function loggerFailed(error: unknown): void {
  if (reportedFailure) return;
  reportedFailure = true;
  globalThis.console?.error?.(`cekit: the logger threw; its lines are lost (${String(error)})`);
}

/**
 * One JSON line per entry at or above `level` (default `info`): `{"level","time","msg",...fields}`,
 * `debug` and `info` on stdout, `warn` and `error` on stderr. On Node the finished line is written
 * straight to the file descriptor, which spares the first request of a cold start the set-up of
 * `process.stdout` (about 2 ms); elsewhere, or if that write fails, it goes through `console`.
 */
export function consoleLogger(level: LogLevel = 'info'): Logger {
  const min = ORDER[level];
  const line = (lvl: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < min) return;
    writeLine(lvl === 'error' || lvl === 'warn' ? 2 : 1, jsonLine(lvl, message, fields));
  };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

function jsonLine(level: LogLevel, message: string, fields: Record<string, unknown> | undefined): string {
  const head = { level, time: isoTime(), msg: message };
  if (fields === undefined) return JSON.stringify(head);
  try {
    return JSON.stringify({ ...head, ...fields });
  } catch (error) {
    // A cycle or a BigInt: the line still says what happened.
    return JSON.stringify({ ...head, logError: `fields not serialisable: ${String(error)}` });
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
/** `Date#toISOString()`, without its first call's cost (about 1 ms in a fresh process). */
function isoTime(): string {
  const d = new Date();
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}Z`
  );
}

type WriteSync = (fd: number, text: string | Uint8Array, offset?: number) => number;
let writeSync: WriteSync | null | undefined;

/**
 * Writes a line to stdout (1) or stderr (2). `process.stdout` costs about 2 ms to set up on first use,
 * so on Node (not Windows, whose console wants its own encoding) the line is written to the descriptor
 * directly, as pino's synchronous mode does. If that ever fails (a non-blocking pipe that is full, a
 * runtime whose `node:fs` has no descriptors), this line and every later one go through `console`,
 * which queues and never throws.
 */
function writeLine(fd: 1 | 2, line: string): void {
  if (writeSync === undefined) {
    const fs =
      globalThis.process?.platform === 'win32'
        ? undefined
        : nodeBuiltin<{ writeSync?: WriteSync }>('node:fs');
    writeSync = typeof fs?.writeSync === 'function' ? fs.writeSync : null;
  }
  if (writeSync !== null) {
    const text = `${line}\n`;
    try {
      const written = writeSync(fd, text);
      if (written === byteLength(text)) return;
      // A partial write: the rest through console, in order.
      writeSync = null;
      consoleWrite(fd, new TextDecoder().decode(new TextEncoder().encode(text).subarray(written, -1)));
      return;
    } catch {
      writeSync = null;
    }
  }
  consoleWrite(fd, line);
}

function byteLength(text: string): number {
  const buffer = (globalThis as { Buffer?: { byteLength(text: string): number } }).Buffer;
  return buffer ? buffer.byteLength(text) : new TextEncoder().encode(text).byteLength;
}

function consoleWrite(fd: 1 | 2, line: string): void {
  if (fd === 2) globalThis.console?.error?.(line);
  else globalThis.console?.log?.(line);
}

/** A logger that drops everything (benchmarks, tests). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/**
 * Describes an error for a log line: `error` (its message), `errorName`, `errorCode` when it has one,
 * and with `{ stack: true }` its `stack`, for failures someone has to fix (a handler, a fallback). Never
 * request data; never sent to CEK.
 */
export function describeError(error: unknown, options?: { stack?: boolean }): Record<string, unknown> {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const fields: Record<string | symbol, unknown> = {
      error: error.message,
      errorName: error.name,
      ...(code === undefined ? {} : { errorCode: code }),
    };
    if (options?.stack && typeof error.stack === 'string') {
      fields.stack = error.stack;
      fields[ERROR] = error;
    }
    return fields;
  }
  return { error: String(error) };
}
