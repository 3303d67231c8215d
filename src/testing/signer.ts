import { cekHeaders } from './transport.js';

/**
 * Anything that signs like CEK: a `TestKeyPair` (SignatureCEK, RSA SHA-256; spec http-and-validation.md
 * §3), or a `TestCertChain` from `startTestCertChain()` whose `headers()` adds `SignatureCEKCertChainUrl`
 * (the legacy KR scheme, §4).
 */
export interface Signer {
  sign(body: string | Uint8Array): string;
  /** All signature headers for a body, when the scheme needs more than `SignatureCEK`. */
  headers?(body: string | Uint8Array): Record<string, string>;
}

/** The headers CEK sends, signed by `signer` (unsigned when there is none). */
export function signedHeaders(signer: Signer | undefined, body: string | Uint8Array): Record<string, string> {
  if (!signer) return cekHeaders(undefined);
  if (!signer.headers) return cekHeaders(signer.sign(body));
  const headers = cekHeaders(undefined);
  for (const [name, value] of Object.entries(signer.headers(body))) headers[name.toLowerCase()] = value;
  return headers;
}
