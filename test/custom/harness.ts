import {
  createExtension,
  silentLogger,
  validateCustomResponse,
  type Endpoint,
  type ExtensionOptions,
  type ModelOption,
  type ExtensionTypes,
  type Logger,
} from 'cekit';
import { generateTestKeyPair } from 'cekit/testing';
import { expect } from 'vitest';
import { readFixture } from '../helpers/fixtures.js';

/** Answers and fixtures are read as untyped JSON in tests; the schema checks their shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** One key pair per test file: CEK's stand-in. Extensions trust only it (no download). */
export const keys = generateTestKeyPair();
export const EXTENSION_ID = 'com.example.extension.pizzabot';

export function testExtension<T extends ExtensionTypes = ExtensionTypes>(
  options: Partial<ExtensionOptions<T>> & Partial<ModelOption<T>> = {},
) {
  // A generic T leaves ModelOption<T> unresolved; a test giving a typed model passes it in options.
  const settings = {
    extensionId: EXTENSION_ID,
    verify: { keys: [keys.publicKeyPem], bundledKey: false, keyUrl: false },
    logger: silentLogger,
    ...options,
  } as ExtensionOptions<T> & ModelOption<T>;
  return createExtension<T>(settings);
}

/** Signs and posts a message through the real endpoint; returns status and parsed JSON. */
export async function send(
  app: { endpoint: Endpoint },
  message: unknown,
): Promise<{ status: number; json: Json }> {
  const body = JSON.stringify(message);
  const res = await app.endpoint.handle({
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=UTF-8', signaturecek: keys.sign(body) },
    body: Buffer.from(body),
  });
  const json = JSON.parse(res.body) as Json;
  if (res.status === 200) {
    const checked = validateCustomResponse(json);
    expect(checked.ok ? [] : checked.issues).toEqual([]);
  }
  return { status: res.status, json };
}

/** A fixture request, with its intent replaced. */
export function intentRequest(
  name: string,
  slots: Record<string, { value: string | number; valueType?: string; unit?: string }> = {},
  overrides: { sessionAttributes?: Record<string, unknown>; locale?: string; isNew?: boolean } = {},
) {
  const message = readFixture<Json>('custom/intent-request.json');
  message.request = {
    type: 'IntentRequest',
    ...(overrides.locale ? { locale: overrides.locale } : {}),
    intent: {
      name,
      slots: Object.fromEntries(Object.entries(slots).map(([key, slot]) => [key, { name: key, ...slot }])),
    },
  };
  message.session.sessionAttributes = overrides.sessionAttributes ?? {};
  message.session.new = overrides.isNew ?? false;
  return message;
}

export function fixture(name: string): Json {
  return readFixture<Json>(`custom/${name}.json`);
}

/** A logger that records entries, to assert on warnings and on what is never logged. */
export function recordingLogger(): Logger & {
  entries: { level: string; message: string; fields?: Record<string, unknown> }[];
} {
  const entries: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    entries.push({ level, message, ...(fields ? { fields } : {}) });
  };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const speechOf = (json: Json) => json.response.outputSpeech;
