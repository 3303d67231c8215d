import { readHeader } from '../core/headers.js';
import { CERT_CHAIN_URL_HEADER } from './cert-chain.js';
import type { RequestVerifier } from './verifier.js';

/** The two signing schemes one endpoint may accept; see {@link anyScheme}. */
export interface AnySchemeVerifiers {
  /** Judges requests WITHOUT a `SignatureCEKCertChainUrl` header, e.g. `publicKeyVerifier()`. */
  publicKey: RequestVerifier;
  /** Judges every request that carries a `SignatureCEKCertChainUrl` header, e.g. `certChainVerifier()`. */
  certChain: RequestVerifier;
}

/**
 * Accepts either scheme on one endpoint. The scheme is picked by the presence of the
 * `SignatureCEKCertChainUrl` header, even an empty or repeated one: such a request is judged ONLY
 * by the cert-chain scheme, and a failure there is final (no fallback to the other scheme, which
 * would let an attacker choose the weaker check).
 *
 * ```ts
 * createEndpoint({ dispatcher, verify: anyScheme({ publicKey: publicKeyVerifier(), certChain: certChainVerifier() }) });
 * ```
 */
export function anyScheme(verifiers: AnySchemeVerifiers): RequestVerifier {
  const { publicKey, certChain } = verifiers;
  return {
    scheme: `${publicKey.scheme}|${certChain.scheme}`,
    verify(body, headers) {
      const chosen = readHeader(headers, CERT_CHAIN_URL_HEADER) === undefined ? publicKey : certChain;
      return chosen.verify(body, headers);
    },
    async ready() {
      await Promise.all([publicKey.ready?.(), certChain.ready?.()]);
    },
    close() {
      publicKey.close?.();
      certChain.close?.();
    },
  };
}
