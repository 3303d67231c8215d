export type { RequestVerifier } from './verifier.js';
export { isRequestVerifier } from './verifier.js';
export { publicKeyVerifier, type PublicKeyVerifierOptions } from './public-key.js';
export { disabledVerifier } from './disabled.js';
export { JP_PUBLIC_KEY_PEM } from './bundled-key.js';
export { REGIONS, type Region } from './regions.js';
export type { KeyInput } from './key-store.js';
