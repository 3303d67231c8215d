import { readFile } from 'node:fs/promises';

/**
 * A request captured from real CEK traffic, replayed as is: the signature covers the exact bytes, so
 * the body must be kept as the original text.
 */
export interface CapturedRequest {
  body: string;
  signature: string;
}

/**
 * Reads captured requests from JSON: one object or an array, each `{ "body": "<raw text>",
 * "signature": "..." }`, `{ "rawBody", "signatureCEK" }` (the spec's test vectors), or
 * `{ "body", "headers": { "SignatureCEK": ... } }` (a logged request).
 */
export function parseCaptured(json: unknown): CapturedRequest[] {
  const items = Array.isArray(json) ? json : [json];
  return items.map((item, index) => {
    const record = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const headers = (record.headers ?? {}) as Record<string, unknown>;
    const headerSignature = Object.entries(headers).find(
      ([name]) => name.toLowerCase() === 'signaturecek',
    )?.[1];
    const body = record.rawBody ?? record.body;
    const signature = record.signatureCEK ?? record.signature ?? headerSignature;
    if (typeof body !== 'string' || typeof signature !== 'string') {
      throw new TypeError(
        `Captured request #${index + 1}: expected a raw body string and its SignatureCEK ("body" + "signature", or "rawBody" + "signatureCEK")`,
      );
    }
    return { body, signature };
  });
}

export async function loadCaptured(path: string): Promise<CapturedRequest[]> {
  return parseCaptured(JSON.parse(await readFile(path, 'utf8')));
}
