/**
 * Documented public-key locations (spec http-and-validation.md §3.1). The JP key is also bundled in
 * `bundled-key.ts`; the KR key was never published anywhere but at its URL, so KR fetches it.
 */
export const REGIONS = {
  jp: { keyUrl: 'https://clova-cek-requests.line.me/.well-known/signature-public-key.pem' },
  kr: { keyUrl: 'https://clova.ai/.well-known/signature-public-key.pem' },
} as const;

export type Region = keyof typeof REGIONS;
