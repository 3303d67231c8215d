export type { RequestVerifier } from './verifier.js';
export { isRequestVerifier } from './verifier.js';
export { publicKeyVerifier, type PublicKeyVerifierOptions } from './public-key.js';
export { disabledVerifier } from './disabled.js';
export {
  certChainVerifier,
  CERT_CHAIN_URL_HEADER,
  CEK_CERT_SAN_DOMAIN,
  type CertChainVerifierOptions,
} from './cert-chain.js';
export { anyScheme, type AnySchemeVerifiers } from './cert-chain-any-scheme.js';
export { CEK_CERT_CHAIN_URL, type CertChainUrlPolicy } from './cert-chain-url.js';
export type { TrustAnchorInput } from './cert-chain-trust.js';
export { JP_PUBLIC_KEY_PEM } from './bundled-key.js';
export { REGIONS, type Region } from './regions.js';
export type { KeyInput } from './rsa.js';
