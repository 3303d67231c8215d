/**
 * Fuzz cases for the CEK endpoint and its adapters: mutations of real signed requests, and the
 * oracle that says what each one deserves. The oracle is written from the protocol's rules (only
 * POST, only application/json, a signature over the exact bytes, a JSON object whose applicationId is
 * ours), not from cekit's code, so a regression in cekit cannot silently move the oracle with it.
 */
import { createPublicKey, verify as rsaVerify, type KeyObject } from 'node:crypto';
import { generateTestKeyPair, type TestKeyPair } from 'cekit/testing';
import { BODY_LIMIT, EXTENSION_ID } from '../adapters/conformance.js';
import { readFixture, signedVector } from '../helpers/fixtures.js';
import { mulberry32, type Random } from './prng.js';

/** A request as the fuzzer builds it: headers in order, a name may repeat. */
export interface FuzzRequest {
  method: string;
  headers: Array<[string, string]>;
  body: Uint8Array;
  /** Chunked transfer coding instead of Content-Length (HTTP transports only). */
  chunked?: boolean;
}

/**
 * `refused`: a 4xx, never the handler. `accepted`: 200 from the handler, exactly once. `either`: the
 * request is genuine but a transport may legitimately see it differently (a repeated header that one
 * server joins and another de-duplicates, `post` that Fetch upper-cases): a 4xx without the handler,
 * or a 200 with it, both fine.
 */
export type Expectation = 'refused' | 'accepted' | 'either';

export interface FuzzCase {
  label: string;
  seed: number;
  /** What was done to the base request, for the failure message. */
  steps: string[];
  request: FuzzRequest;
  expect: Expectation;
}

/** A signed body the mutations start from. */
interface Base {
  name: string;
  body: Uint8Array;
  signature: string;
}

export interface World {
  key: TestKeyPair;
  /** Every key the endpoints under test trust: CEK's JP key (the vectors) and the test key. */
  trusted: KeyObject[];
  bases: Base[];
  /** The real CEK-signed LaunchRequest, byte for byte. */
  launch: Base;
  /** The bases that are genuine as they are (they must get 200). */
  genuine: Base[];
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const fromLatin1 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

/**
 * The starting points: the four CEK vectors as they are, and fixture messages re-signed with a test
 * key (so mutations re-signed with that key reach the checks after the signature: UTF-8, JSON,
 * depth, `__proto__`, message kind, applicationId).
 */
export function createWorld(): World {
  // Generated per run: Node cannot derive an RSA key from a seed. The seed still fixes every choice
  // the fuzzer makes, and no outcome depends on the key's bytes, so a seed reproduces its failures.
  const key = generateTestKeyPair();
  const vector = (name: string): Base => {
    const v = signedVector(name);
    return { name, body: utf8(v.rawBody), signature: v.signatureCEK };
  };
  const resigned = (name: string, message: unknown): Base => {
    const body = utf8(JSON.stringify(message));
    return { name: `${name} (test key)`, body, signature: key.sign(body) };
  };
  const ours = (path: string) => withApplicationId(readFixture(path), EXTENSION_ID);
  const launch = vector('signed-launch-request');
  const bases = [
    launch,
    vector('signed-guide-intent-request'),
    vector('tampered-body'),
    vector('tampered-signature'),
    { ...launch, name: 'signed-launch-request (test key)', signature: key.sign(launch.body) },
    resigned('intent-request', ours('custom/intent-request.json')),
    resigned('session-ended-request', ours('custom/session-ended-request.json')),
    resigned('event-skill-enabled', ours('custom/event-skill-enabled.json')),
    resigned('intent-request, foreign applicationId', readFixture('custom/intent-request.json')),
    resigned('home turn-on-request', readFixture('home/turn-on-request.json')),
  ];
  const trusted = [
    createPublicKey(signedVector('signed-launch-request').publicKeyPem),
    createPublicKey(key.publicKeyPem),
  ];
  const world = { key, trusted, bases, launch, genuine: [] as Base[] };
  // The bases a genuine request may start from: signed by a trusted key and addressed to us.
  world.genuine = bases.filter(
    (b) => expectationOf(world, genuineRequest(b, 'application/json', 'signaturecek')) === 'accepted',
  );
  return world;
}

function withApplicationId(message: Record<string, unknown>, id: string): Record<string, unknown> {
  const copy = structuredClone(message) as {
    context: { System: { application: { applicationId: string } } };
  };
  copy.context.System.application.applicationId = id;
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Body mutations. Each returns the new bytes and a note for the failure message. They work on
// bytes (latin1 strings index bytes one to one), so invalid UTF-8 from an earlier step survives.
// ---------------------------------------------------------------------------------------------

type BodyMutation = (rng: Random, body: Uint8Array, world: World) => [Uint8Array, string];

function splice(body: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length - remove + insert.length);
  out.set(body.subarray(0, at), 0);
  out.set(insert, at);
  out.set(body.subarray(at + remove), at + insert.length);
  return out;
}

/** Bytes that mean something to a JSON or UTF-8 parser. */
const INTERESTING = [
  0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x00, 0x0a, 0x7f, 0x80, 0xc0, 0xff, 0x20,
];

/** Sequences a strict UTF-8 decoder must refuse: stray continuation, overlong, surrogate, truncated, > U+10FFFF. */
const BAD_UTF8 = [
  [0x80],
  [0xff],
  [0xc0, 0xaf],
  [0xc3, 0x28],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x82],
  [0xf4, 0x90, 0x80, 0x80],
  [0xfe],
];

const BOMS = [
  [0xef, 0xbb, 0xbf],
  [0xfe, 0xff],
  [0xff, 0xfe],
];

/** Ways to spell the key `__proto__` in JSON: every one parses to the same own key. */
const PROTO_SPELLINGS = [
  '__proto__',
  '\\u005f\\u005fproto\\u005f\\u005f',
  '\\u005F\\u005Fproto\\u005F\\u005F',
  '\\u005f_proto__',
  '__pr\\u006fto__',
  '__proto\\u005f\\u005f',
  '\\u005f\\u005f\\u0070\\u0072\\u006f\\u0074\\u006f\\u005f\\u005f',
];

/** Keys that look dangerous but are plain data: a message carrying them is still valid. */
const HARMLESS_KEYS = [
  'constructor',
  'prototype',
  '__proto',
  'proto__',
  '__defineGetter__',
  '_\\u005fproto_',
];

/** Byte offsets just after a `{` that opens a non-empty object, outside strings. */
function objectStarts(body: Uint8Array): number[] {
  const text = latin1(body);
  const out: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' && text[i + 1] === '"') out.push(i + 1);
  }
  return out;
}

/** Inserts `"key":value,` at the start of a random object (or wraps the body when there is none). */
function insertMember(rng: Random, body: Uint8Array, member: string): Uint8Array {
  const starts = objectStarts(body);
  if (starts.length === 0) return utf8(`{${member.slice(0, -1)}}`);
  return splice(body, rng.pick(starts), 0, fromLatin1(member));
}

function randomString(rng: Random, max: number): string {
  const alphabet = 'abcxyz019 _-./:;{}[]"\\\t\u00e9\u3042\u{1f600}';
  const chars = [...alphabet];
  let out = '';
  const length = rng.int(0, max);
  for (let i = 0; i < length; i++) out += rng.pick(chars);
  return out;
}

/** Random JSON text; `depth` bounds nesting. Keys include the dangerous and the protocol ones. */
export function randomJson(rng: Random, depth: number): string {
  const kind = rng.int(0, depth > 0 ? 7 : 4);
  switch (kind) {
    case 0:
      return rng.pick(['null', 'true', 'false']);
    case 1:
      return rng.pick(['0', '-0', '1e999', '-1.5e-400', '12345678901234567890123', '3.14', '-7']);
    case 2:
    case 3:
      return JSON.stringify(randomString(rng, 12));
    case 4:
      return rng.pick(['"\\ud800"', '"\\u0000"', '"\\uDFFF\\uD800"', '""']);
    case 5: {
      const items = Array.from({ length: rng.int(0, 4) }, () => randomJson(rng, depth - 1));
      return `[${items.join(',')}]`;
    }
    default: {
      const keys = [
        'request',
        'context',
        'session',
        'version',
        'header',
        'payload',
        'type',
        'a',
        ...HARMLESS_KEYS,
      ];
      const members = Array.from({ length: rng.int(0, 4) }, () => {
        const key = rng.chance(0.1) ? rng.pick(PROTO_SPELLINGS) : rng.pick(keys);
        return `"${key}":${randomJson(rng, depth - 1)}`;
      });
      return `{${members.join(',')}}`;
    }
  }
}

/** A message shaped like a CEK request, with random holes: some are valid, most are not. */
function messageLike(rng: Random): string {
  const applicationId = rng.pick([EXTENSION_ID, EXTENSION_ID, 'com.other', '', 'COM.CHENS.MORNING', 42]);
  const application = rng.chance(0.9) ? { applicationId } : rng.pick([null, [], 'x', {}]);
  const message: Record<string, unknown> = {
    version: rng.pick(['1.0', '0.1.0', 1]),
    context: rng.chance(0.9) ? { System: { application } } : rng.pick([null, 'ctx', []]),
    request: rng.chance(0.85)
      ? { type: rng.pick(['LaunchRequest', 'IntentRequest', '', 7]) }
      : rng.pick([null, [], 'r']),
  };
  if (rng.chance(0.2)) message.session = JSON.parse(randomJson(rng, 2));
  return JSON.stringify(message);
}

/** Nested arrays/objects `depth` levels deep, placed as a value inside the message or as the body. */
function nested(rng: Random, depth: number): string {
  const object = rng.chance(0.5);
  return (object ? '{"a":'.repeat(depth) : '['.repeat(depth)) + '1' + (object ? '}' : ']').repeat(depth);
}

const BODY_MUTATIONS: Array<[string, BodyMutation]> = [
  [
    'flip a bit',
    (rng, body) => {
      if (body.length === 0) return [utf8('{'), 'empty, so {'];
      const at = rng.int(0, body.length - 1);
      const bit = rng.int(0, 7);
      const out = body.slice();
      out[at]! ^= 1 << bit;
      return [out, `byte ${at} bit ${bit}`];
    },
  ],
  [
    'insert bytes',
    (rng, body) => {
      const at = rng.int(0, body.length);
      const bytes = rng.chance(0.5)
        ? rng.bytes(rng.int(1, 8))
        : Uint8Array.from({ length: rng.int(1, 4) }, () => rng.pick(INTERESTING));
      return [splice(body, at, 0, bytes), `at ${at}: ${Buffer.from(bytes).toString('hex')}`];
    },
  ],
  [
    'delete bytes',
    (rng, body) => {
      if (body.length === 0) return [body, 'nothing to delete'];
      const at = rng.int(0, body.length - 1);
      const count = Math.min(rng.int(1, 16), body.length - at);
      return [splice(body, at, count, new Uint8Array(0)), `${count} at ${at}`];
    },
  ],
  [
    'truncate',
    (rng, body) => {
      const at = rng.int(0, Math.max(0, body.length - 1));
      return [body.slice(0, at), `to ${at} bytes`];
    },
  ],
  [
    'duplicate a slice',
    (rng, body) => {
      if (body.length === 0) return [body, 'empty'];
      const from = rng.int(0, body.length - 1);
      const slice = body.slice(from, from + rng.int(1, 32));
      const at = rng.int(0, body.length);
      return [splice(body, at, 0, slice), `${slice.length} bytes from ${from} to ${at}`];
    },
  ],
  [
    'overwrite a byte',
    (rng, body) => {
      if (body.length === 0) return [body, 'empty'];
      const at = rng.int(0, body.length - 1);
      const out = body.slice();
      out[at] = rng.pick(INTERESTING);
      return [out, `byte ${at} = 0x${out[at]!.toString(16)}`];
    },
  ],
  [
    'invalid UTF-8',
    (rng, body) => {
      const bad = Uint8Array.from(rng.pick(BAD_UTF8));
      // Inside a string value when there is one, so only the UTF-8 check can catch it.
      const quotes = [...latin1(body).matchAll(/":"/g)].map((m) => (m.index ?? 0) + 3);
      const at = quotes.length > 0 ? rng.pick(quotes) : rng.int(0, body.length);
      return [splice(body, at, 0, bad), `${Buffer.from(bad).toString('hex')} at ${at}`];
    },
  ],
  [
    'byte order mark',
    (rng, body) => {
      const bom = Uint8Array.from(rng.pick(BOMS));
      return [splice(body, 0, 0, bom), Buffer.from(bom).toString('hex')];
    },
  ],
  [
    '__proto__ key',
    (rng, body) => {
      const spelling = rng.pick(PROTO_SPELLINGS);
      const value = rng.pick(['{"polluted":true}', '{}', '1', 'null', '{"applicationId":"x"}']);
      return [insertMember(rng, body, `"${spelling}":${value},`), spelling];
    },
  ],
  [
    'harmless odd key',
    (rng, body) => {
      const key = rng.pick(HARMLESS_KEYS);
      return [insertMember(rng, body, `"${key}":{"a":1},`), key];
    },
  ],
  [
    'deep nesting',
    (rng, body) => {
      // Around the 64-level limit most of the time, sometimes far past it.
      const depth = rng.chance(0.8) ? rng.int(58, 68) : rng.int(100, 3000);
      if (rng.chance(0.3)) return [utf8(nested(rng, depth)), `body is ${depth} levels`];
      return [insertMember(rng, body, `"deep":${nested(rng, depth)},`), `value ${depth} levels`];
    },
  ],
  [
    'random JSON',
    (rng) => {
      const text = rng.chance(0.5) ? randomJson(rng, 4) : messageLike(rng);
      return [utf8(text), text.length > 120 ? `${text.slice(0, 120)}...` : text];
    },
  ],
  [
    'near the body limit',
    (rng, body) => {
      const target = BODY_LIMIT + rng.int(-40, 40);
      const padding = Math.max(0, target - body.length - '"pad":"",'.length);
      const out = insertMember(rng, body, `"pad":"${'x'.repeat(padding)}",`);
      return [out, `${out.length} bytes (limit ${BODY_LIMIT})`];
    },
  ],
  [
    'far over the body limit',
    (rng) => {
      const size = BODY_LIMIT * rng.int(2, 8);
      return [utf8(`{"a":"${'y'.repeat(size)}"}`), `${size} bytes`];
    },
  ],
  [
    'JSON whitespace',
    (rng, body) => {
      const ws = fromLatin1(rng.pick([' ', '\n', '\r\n', '\t', '   \n']));
      const at = rng.pick([0, body.length, ...objectStarts(body).map((i) => i - 1)]);
      return [splice(body, at, 0, ws), `at ${at}`];
    },
  ],
  [
    'escape a character',
    (rng, body) => {
      // Same string value, different bytes: `a` becomes `\u0061` inside the applicationId or a type.
      const text = latin1(body);
      const targets = [...text.matchAll(/"(applicationId|type)":"([A-Za-z])/g)];
      if (targets.length === 0) return [body, 'nothing to escape'];
      const match = rng.pick(targets);
      const at = (match.index ?? 0) + match[0].length - 1;
      const escape = `\\u${text.charCodeAt(at).toString(16).padStart(4, '0')}`;
      return [splice(body, at, 1, fromLatin1(escape)), `${escape} at ${at}`];
    },
  ],
  [
    'duplicate key',
    (rng, body) => {
      // JSON.parse keeps the last one: a second "request" or "context" replaces the real one.
      const end = latin1(body).lastIndexOf('}');
      if (end <= 0) return [body, 'no object'];
      const member = `,"${rng.pick(['request', 'context', 'version'])}":${randomJson(rng, 2)}`;
      return [splice(body, end, 0, fromLatin1(member)), member];
    },
  ],
  [
    'raw control character in a string',
    (rng, body) => {
      const quotes = [...latin1(body).matchAll(/":"/g)].map((m) => (m.index ?? 0) + 3);
      if (quotes.length === 0) return [body, 'no string'];
      const at = rng.pick(quotes);
      const control = rng.int(0, 0x1f);
      return [splice(body, at, 0, Uint8Array.of(control)), `0x${control.toString(16)} at ${at}`];
    },
  ],
  [
    'another message',
    (rng, _body, world) => {
      const other = rng.pick(world.bases);
      return [other.body, other.name];
    },
  ],
  ['empty', () => [new Uint8Array(0), '']],
  [
    'not JSON at all',
    (rng) => {
      const text = rng.pick(['a=1&b=2', '<xml/>', 'null', 'undefined', "{'a':1}", '{"a":1,}', 'NaN', '[]']);
      return [utf8(text), text];
    },
  ],
];

// ---------------------------------------------------------------------------------------------
// Signatures.
// ---------------------------------------------------------------------------------------------

const BASE64_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

type SignatureMutation = (rng: Random, signature: string) => string;

const SIGNATURE_MUTATIONS: Array<[string, SignatureMutation]> = [
  ['truncate', (rng, s) => s.slice(0, rng.int(0, s.length - 1))],
  [
    'append characters',
    (rng, s) => s + Array.from({ length: rng.int(1, 4) }, () => rng.pick([...BASE64_CHARS])).join(''),
  ],
  [
    'replace a character',
    (rng, s) => {
      const at = rng.int(0, s.length - 3);
      const replacement = BASE64_CHARS[(BASE64_CHARS.indexOf(s[at]!) + rng.int(1, 63)) % 64]!;
      return s.slice(0, at) + replacement + s.slice(at + 1);
    },
  ],
  [
    'flip a bit of the signature',
    (rng, s) => {
      const bytes = Buffer.from(s, 'base64');
      bytes[rng.int(0, bytes.length - 1)]! ^= 1 << rng.int(0, 7);
      return bytes.toString('base64');
    },
  ],
  ['base64url alphabet', (_rng, s) => s.replaceAll('+', '-').replaceAll('/', '_')],
  ['no padding', (_rng, s) => s.replace(/=+$/, '')],
  ['extra padding', (_rng, s) => `${s}==`],
  ['lower case', (_rng, s) => s.toLowerCase()],
  ['random 256 bytes', (rng) => Buffer.from(rng.bytes(256)).toString('base64')],
  ['empty', () => ''],
  ['blank', () => ' \t '],
  ['very long', (rng, s) => s.repeat(rng.int(5, 16))],
  ['joined with another', (rng, s) => `${s},${rng.chance(0.5) ? s : 'AAAA'}`],
  ['surrounded by spaces', (_rng, s) => `  ${s}  `],
  ['scheme prefix', (_rng, s) => `Bearer ${s}`],
  ['hex instead of base64', (_rng, s) => Buffer.from(s, 'base64').toString('hex')],
  [
    'non-canonical final character',
    (_rng, s) => {
      // 256 bytes encode as 342 characters + "==": the last character carries 4 unused bits.
      const at = s.replace(/=+$/, '').length - 1;
      const index = BASE64_CHARS.indexOf(s[at]!);
      return s.slice(0, at) + BASE64_CHARS[index ^ 1] + s.slice(at + 1);
    },
  ],
  [
    'garbage',
    (rng) =>
      Array.from({ length: rng.int(1, 40) }, () =>
        String.fromCharCode(rng.pick([rng.int(0x21, 0x7e), rng.int(0xa0, 0xff)])),
      ).join(''),
  ],
];

const SIGNATURE_NAMES = ['signaturecek', 'signaturecek', 'SignatureCEK', 'SIGNATURECEK', 'SignatureCek'];
const WRONG_SIGNATURE_NAMES = ['signature-cek', 'signature', 'x-signaturecek', 'signaturecek2'];

/** Content types CEK's check accepts (media type application/json; parameters are not parsed). */
const JSON_TYPES = [
  'application/json',
  'application/json;charset=UTF-8',
  'application/json;charset-UTF-8',
  'application/json; charset=utf-8',
  'Application/JSON',
  'APPLICATION/JSON;CHARSET=UTF-8',
  ' application/json ',
  'application/json;',
  'application/json; charset=utf-16',
  'application/json;foo="bar;baz"',
  'application/json\t;q=1',
];

const OTHER_TYPES = [
  'text/plain',
  'text/json',
  'application/jsonp',
  'application/json-patch+json',
  'application/ld+json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/xml',
  '*/*',
  'application/*',
  'application',
  'json',
  '',
  ' ',
  'application /json',
  'application/ json',
  'application\\/json',
  'application/json, text/plain',
  ';application/json',
  '\u00a0application/json',
  'application/json\u00e9',
];

const OTHER_METHODS = ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'post', 'Post'];

const EXTRA_HEADERS: Array<(rng: Random) => [string, string]> = [
  (rng) => ['x-request-id', randomToken(rng)],
  () => ['accept', '*/*'],
  () => ['user-agent', 'CEK/1.0 (fuzz)'],
  () => ['content-encoding', 'gzip'],
  () => ['x-forwarded-for', '203.0.113.9, ::1'],
  () => ['cookie', 'a=b; __proto__=c'],
  (rng) => ['x-long', 'z'.repeat(rng.int(100, 4000))],
  (rng) => ['x-latin1', Array.from({ length: 8 }, () => String.fromCharCode(rng.int(0xa0, 0xff))).join('')],
  () => ['SignatureCEKCertChainUrl', 'https://example.com/chain.pem'],
  () => ['__proto__', 'x'],
];

function randomToken(rng: Random): string {
  return Array.from({ length: rng.int(1, 24) }, () => rng.pick([...BASE64_CHARS])).join('');
}

// ---------------------------------------------------------------------------------------------
// Case generation.
// ---------------------------------------------------------------------------------------------

/** A mutated request: body, signature, content type, method and extra headers, each maybe changed. */
export function mutatedCase(world: World, seed: number, label: string): FuzzCase {
  const rng = mulberry32(seed);
  const steps: string[] = [];
  const base = rng.pick(world.bases);
  steps.push(`base: ${base.name}`);

  let body = base.body;
  const bodyMutations = rng.pick([0, 1, 1, 1, 2, 3]);
  for (let i = 0; i < bodyMutations; i++) {
    const [name, mutate] = rng.pick(BODY_MUTATIONS);
    const [next, note] = mutate(rng, body, world);
    body = next;
    steps.push(`body: ${name} (${note})`);
  }

  const headers: Array<[string, string]> = [];
  headers.push(...contentTypeHeaders(rng, steps));
  headers.push(...signatureHeaders(rng, world, base, body, steps));
  for (let i = rng.pick([0, 0, 1, 2]); i > 0; i--) {
    const header = rng.pick(EXTRA_HEADERS)(rng);
    headers.push(header);
    steps.push(`extra header ${header[0]}`);
  }
  // Header order should not matter to anyone.
  if (rng.chance(0.3)) headers.reverse();

  const method = rng.chance(0.88) ? 'POST' : rng.pick(OTHER_METHODS);
  if (method !== 'POST') steps.push(`method ${method}`);
  const chunked = rng.chance(0.25);
  const request: FuzzRequest = { method, headers, body, chunked };
  return { label, seed, steps, request, expect: expectationOf(world, request) };
}

/** A genuine request, interleaved with the mutations: it must still get through. */
export function genuineCase(world: World, seed: number, label: string): FuzzCase {
  const rng = mulberry32(seed);
  const base = rng.pick(world.genuine);
  const request = genuineRequest(base, rng.pick(JSON_TYPES), rng.pick(SIGNATURE_NAMES));
  if (rng.chance(0.5)) request.headers.reverse();
  request.chunked = rng.chance(0.25);
  return { label, seed, steps: [`genuine: ${base.name}`], request, expect: expectationOf(world, request) };
}

function genuineRequest(base: Base, contentType: string, signatureName: string): FuzzRequest {
  return {
    method: 'POST',
    headers: [
      ['content-type', contentType],
      [signatureName, base.signature],
    ],
    body: base.body,
  };
}

function contentTypeHeaders(rng: Random, steps: string[]): Array<[string, string]> {
  const roll = rng.next();
  if (roll < 0.04) {
    steps.push('no content-type');
    return [];
  }
  if (roll < 0.08) {
    const pair: Array<[string, string]> = [
      ['content-type', rng.pick(JSON_TYPES)],
      [rng.pick(['content-type', 'Content-Type']), rng.pick([...JSON_TYPES, ...OTHER_TYPES])],
    ];
    steps.push(`two content-types: ${JSON.stringify(pair)}`);
    return pair;
  }
  const name = rng.pick(['content-type', 'Content-Type', 'CONTENT-TYPE']);
  const value = rng.chance(0.75) ? rng.pick(JSON_TYPES) : rng.pick(OTHER_TYPES);
  if (!JSON_TYPES.includes(value)) steps.push(`content-type ${JSON.stringify(value)}`);
  return [[name, value]];
}

function signatureHeaders(
  rng: Random,
  world: World,
  base: Base,
  body: Uint8Array,
  steps: string[],
): Array<[string, string]> {
  const roll = rng.next();
  let value = base.signature;
  if (roll < 0.08) {
    steps.push('no signature');
    return [];
  } else if (roll < 0.4) {
    value = world.key.sign(body);
    steps.push('re-signed with the test key');
  } else if (roll < 0.7) {
    const [name, mutate] = rng.pick(SIGNATURE_MUTATIONS);
    value = mutate(rng, rng.chance(0.5) ? value : world.key.sign(body));
    steps.push(`signature: ${name}`);
  }
  const nameRoll = rng.next();
  const name = nameRoll < 0.05 ? rng.pick(WRONG_SIGNATURE_NAMES) : rng.pick(SIGNATURE_NAMES);
  if (nameRoll < 0.05) steps.push(`signature header named ${name}`);
  const headers: Array<[string, string]> = [[name, value]];
  if (rng.chance(0.05)) {
    const second = rng.chance(0.5) ? value : rng.pick(['AAAA', '', world.launch.signature]);
    headers.push([rng.pick(SIGNATURE_NAMES), second]);
    steps.push('signature header sent twice');
  }
  return headers;
}

// ---------------------------------------------------------------------------------------------
// The oracle.
// ---------------------------------------------------------------------------------------------

type Verdict = 'yes' | 'no' | 'maybe';

export function expectationOf(world: World, request: FuzzRequest): Expectation {
  const verdicts = [
    methodVerdict(request.method),
    contentTypeVerdict(valuesOf(request, 'content-type')),
    request.body.length === 0 || request.body.length > BODY_LIMIT ? 'no' : 'yes',
    signatureVerdict(world, request.body, valuesOf(request, 'signaturecek')),
  ];
  if (verdicts.includes('no') || !acceptableMessage(request.body)) return 'refused';
  return verdicts.includes('maybe') ? 'either' : 'accepted';
}

function valuesOf(request: FuzzRequest, name: string): string[] {
  return request.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
}

/** Only POST. `post` is upper-cased by Fetch (its method normalisation) and refused by Node's parser. */
function methodVerdict(method: string): Verdict {
  if (method === 'POST') return 'yes';
  return method.toUpperCase() === 'POST' ? 'maybe' : 'no';
}

/** The media type must be application/json; parameters are not parsed (CEK sends `charset-UTF-8`). */
function contentTypeVerdict(values: string[]): Verdict {
  const json = (value: string) => value.trim().split(';')[0]!.trim().toLowerCase() === 'application/json';
  if (values.length === 0 || !values.some(json)) return 'no';
  // Repeated: Node keeps the first Content-Type, Fetch joins them, Lambda keeps one or both.
  return values.length === 1 ? 'yes' : 'maybe';
}

/**
 * Genuine when the value is the exact (canonical, surrounding whitespace aside) base64 of a
 * signature over these bytes by a trusted key. A non-canonical spelling of a valid signature (a
 * lenient base64 decoder reads the same bytes) is `maybe`: accepting it gives an attacker nothing.
 */
function signatureVerdict(world: World, body: Uint8Array, values: string[]): Verdict {
  const verdicts = values.map((value) => oneSignature(world, body, value));
  if (verdicts.length === 0 || verdicts.every((v) => v === 'no')) return 'no';
  return verdicts.length === 1 ? verdicts[0]! : 'maybe';
}

function oneSignature(world: World, body: Uint8Array, value: string): Verdict {
  const text = value.trim();
  if (text === '') return 'no';
  const bytes = Buffer.from(text, 'base64');
  if (!world.trusted.some((key) => rsaVerify('sha256', body, key, bytes))) return 'no';
  return bytes.toString('base64') === text ? 'yes' : 'maybe';
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A verified body the handler may see: UTF-8 JSON object, sane depth, no `__proto__`, our Custom message. */
export function acceptableMessage(body: Uint8Array): boolean {
  let value: unknown;
  try {
    value = JSON.parse(strictUtf8.decode(body));
  } catch {
    return false;
  }
  if (!isObject(value) || depth(value) > 64 || hasProtoKey(value)) return false;
  if (!isObject(value.request)) return false;
  const context = value.context;
  const system = isObject(context) ? context.System : undefined;
  const application = isObject(system) ? system.application : undefined;
  return isObject(application) && application.applicationId === EXTENSION_ID;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function depth(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let deepest = 0;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depth(child));
  return deepest + 1;
}

function hasProtoKey(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.keys(value).some(
    (key) => key === '__proto__' || hasProtoKey((value as Record<string, unknown>)[key]),
  );
}

/** Short, printable description of a request for failure messages. */
export function describeRequest(request: FuzzRequest): string {
  const body = Buffer.from(request.body);
  const preview =
    body.length <= 200 ? body.toString('base64') : `${body.subarray(0, 200).toString('base64')}...`;
  return JSON.stringify({
    method: request.method,
    headers: request.headers.map(([n, v]) => [n, v.length > 120 ? `${v.slice(0, 120)}...(${v.length})` : v]),
    chunked: request.chunked ?? false,
    bodyBytes: body.length,
    bodyBase64: preview,
  });
}
