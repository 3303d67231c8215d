/**
 * The CEK side, for tests and local runs: keys that stand in for CEK's, and signing.
 * @module
 */
export { generateTestKeyPair, loadTestKeyPair, signBody, type TestKeyPair } from './keys.js';
