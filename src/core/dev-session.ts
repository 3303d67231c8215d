import { ConfigurationError } from './errors.js';
import type { Logger } from './logger.js';
import type { MessageKind } from './message-kind.js';
import { disabledVerifier } from '../verify/disabled.js';
import { publicKeyVerifier, type PublicKeyVerifierOptions } from '../verify/public-key.js';
import { isRequestVerifier, type RequestVerifier } from '../verify/verifier.js';

/**
 * How `cekit dev` serves a module it did not write. Its worker process opens the session before it
 * imports the user's module, so the extension the module builds (exported, or passed to `serve()`)
 * trusts the development key, and `serve()` listens where `cekit dev` was told to. Only that worker
 * opens a session, and never when NODE_ENV=production.
 *
 * It lives on `globalThis` under a registered symbol rather than in a module variable because the
 * CLI and the user's module may load different copies of cekit (the CLI's own build, the project's
 * install, ESM and CommonJS builds); a symbol is shared by all of them.
 */
export interface DevSession {
  /** The development key's public half (PEM). */
  readonly devKeyPem: string;
  /** Also trust what the module itself asked for (CEK's real keys), so the real CEK can call through a tunnel. */
  readonly trustCek: boolean;
  /** Where the one server of the session listens. */
  readonly port: number;
  readonly host: string;
  /** Each endpoint built under the session reports what it serves (for the hints `cekit dev` prints). */
  endpointCreated(info: { kinds: readonly MessageKind[]; extensionIds: readonly string[] }): void;
  /** `serve()` claims the session's address before listening; a second server in one module is refused. */
  claimAddress(): { port: number; host: string };
  /** `serve()` is listening: the worker tells `cekit dev`, and closes the server on reload. */
  listening(server: { url: string; port: number; close(): Promise<void> }): void;
}

const SESSION = Symbol.for('cekit.devSession');
type Holder = { [SESSION]?: DevSession };

/** The open session, or undefined outside `cekit dev` (the common case: one property read). */
export function devSession(): DevSession | undefined {
  return (globalThis as Holder)[SESSION];
}

/** Opens the session of this process (the `cekit dev` worker only). */
export function openDevSession(session: DevSession, env: string | undefined = process.env.NODE_ENV): void {
  refuseInProduction(env);
  (globalThis as Holder)[SESSION] = session;
}

/** Closes the session (tests; the worker's session ends with its process). */
export function closeDevSession(): void {
  delete (globalThis as Holder)[SESSION];
}

function refuseInProduction(env: string | undefined): void {
  if (env === 'production')
    throw new ConfigurationError(
      'DEV_KEY_IN_PRODUCTION',
      'cekit: `cekit dev` trusts a development key and is refused when NODE_ENV=production. Run the extension with serve() instead.',
    );
}

/**
 * The verifier of an endpoint built under a dev session. Without `trustCek` only the development key
 * is trusted, whatever the module asked for, so nothing reaches the keys server while developing.
 * With it, the development key is added to what the module asked for. An explicit `verify: false`
 * stays the module's own (loud) choice.
 */
export function devVerifier(
  session: DevSession,
  verify: PublicKeyVerifierOptions | RequestVerifier | false | undefined,
  logger: Logger,
  env: string | undefined = process.env.NODE_ENV,
): RequestVerifier {
  refuseInProduction(env);
  if (verify === false) return disabledVerifier(logger);
  const devOnly = publicKeyVerifier({ logger, keys: [session.devKeyPem], bundledKey: false, keyUrl: false });
  if (!session.trustCek) return devOnly;
  if (!isRequestVerifier(verify))
    return publicKeyVerifier({ logger, ...verify, keys: [...(verify?.keys ?? []), session.devKeyPem] });
  return eitherVerifier(devOnly, verify);
}

/**
 * Accepts what the development key signed, else asks the module's own verifier (e.g. the cert-chain
 * scheme). The development key goes first: it is pinned and never downloads, so a mismatch is known
 * at once, while the module's verifier may wait for a key refresh after one.
 */
function eitherVerifier(devOnly: RequestVerifier, own: RequestVerifier): RequestVerifier {
  return {
    scheme: own.scheme,
    verify(body, headers) {
      let pending: void | Promise<void>;
      try {
        pending = devOnly.verify(body, headers);
      } catch {
        return own.verify(body, headers);
      }
      return pending?.catch(() => own.verify(body, headers));
    },
    ready: () => own.ready?.() ?? Promise.resolve(),
    close: () => own.close?.(),
  };
}
