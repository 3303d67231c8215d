import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { checkCustomRequest, validateCustomResponse } from 'cekit';
import { SCHEMA_DIR } from '../../scripts/generate-schemas.js';
import { listFixtures, readFixture } from '../helpers/fixtures.js';
import type { Json } from './harness.js';

// The published JSON Schemas, read by an independent JSON Schema (2020-12) validator, must agree with
// cekit's own validator on every fixture and on a few broken messages: one definition, two readers.
const ajv = new Ajv2020({ strict: false, allErrors: true });
const load = (name: string) => JSON.parse(readFileSync(join(SCHEMA_DIR, name), 'utf8')) as object;
const requestSchema = ajv.compile(load('custom-request.json'));
const responseSchema = ajv.compile(load('custom-response.json'));

const fixtures = listFixtures('custom');
const cekitAccepts = (name: string, value: unknown) =>
  name.startsWith('response') ? validateCustomResponse(value).ok : checkCustomRequest(value).length === 0;
const jsonSchemaAccepts = (name: string, value: unknown) =>
  name.startsWith('response') ? responseSchema(value) : requestSchema(value);

describe('published JSON Schemas agree with the runtime validator', () => {
  it.each(fixtures)('%s', (name) => {
    const value = readFixture(`custom/${name}`);
    expect(jsonSchemaAccepts(name, value)).toBe(cekitAccepts(name, value));
  });

  it.each([
    ['an event with a bad payload for its name', (m: Json) => delete m.request.event.payload.token],
    ['an unknown request type', (m: Json) => (m.request.type = 'Nope')],
    ['a session without id', (m: Json) => delete m.session.sessionId],
  ])('both refuse %s', (_label, breakIt) => {
    const message = readFixture<Json>('custom/event-audioplayer-play-finished.json');
    breakIt(message);
    expect(checkCustomRequest(message).length).toBeGreaterThan(0);
    expect(requestSchema(message)).toBe(false);
  });

  it('both accept an event outside the catalogue', () => {
    const message = readFixture<Json>('custom/event-skill-enabled.json');
    message.request.event = { namespace: 'Future', name: 'Thing', payload: { a: 1 } };
    expect(checkCustomRequest(message)).toEqual([]);
    expect(requestSchema(message)).toBe(true);
  });

  it('both refuse a URL speech with a language and an unknown directive', () => {
    const response = readFixture<Json>('custom/response-speechlist.json');
    response.response.outputSpeech.values[1].lang = 'ja';
    expect(validateCustomResponse(response).ok).toBe(false);
    expect(responseSchema(response)).toBe(false);
    const directive = readFixture<Json>('custom/response-playbackcontroller-pause.json');
    directive.response.directives[0].header.name = 'Dance';
    expect(validateCustomResponse(directive).ok).toBe(false);
    expect(responseSchema(directive)).toBe(false);
  });
});
