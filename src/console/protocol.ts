/**
 * What the browser console and its loopback server say to each other (JSON over `/api/*`). Types
 * only: the page (src/console/page, bundled for the browser) and the server (src/console/server.ts)
 * both import this file, so the two cannot drift.
 *
 * The page never builds or signs a CEK message itself. Everything it does is a simulator command
 * line (`/launch`, a sentence, `/intent Name slot=value`, `/event AudioPlayer.PlayStarted token=…`,
 * `/home TurnOn light-1`, …), run by the same code as `cekit simulate`: one pipeline, and the
 * dialogue exports as a `--script` file that replays exactly what was done.
 */

/** One thing wrong with a reply (same codes as the testing kit's `Problem`); `path` as `a.b[0].c`, `''` for the whole reply. */
export interface ConsoleProblem {
  code: 'HTTP_STATUS' | 'CONTENT_TYPE' | 'NOT_JSON' | 'SCHEMA' | 'DEADLINE';
  path: string;
  message: string;
}

/** A slot of the interaction model, for the intent form. */
export interface ConsoleSlot {
  name: string;
  /** `CLOVA.NUMBER`, or a custom slot type's name. */
  type: string;
  /** The custom type's values (representative words), for a pick list; empty for built-in types. */
  values: string[];
}

export interface ConsoleIntent {
  name: string;
  slots: ConsoleSlot[];
  /** Up to three sample sentences, to show what can be said. */
  samples: string[];
}

/** A documented client event, for the event buttons. */
export interface ConsoleEvent {
  /** `AudioPlayer.PlayFinished` */
  name: string;
  /** The realistic payload cekit sends by default (fields can be overridden with key=value). */
  payload: Record<string, unknown> | null;
}

/** A Clova Home control/query action, for the appliance cards. */
export interface ConsoleHomeAction {
  name: string;
  category: 'action' | 'switching' | 'incremental' | 'query' | 'value';
  /** The request fields the spec requires beyond the appliance, with sample values (`{ brightness: { value: 50 } }`). */
  fields: Record<string, unknown>;
}

/** `GET /api/state`: everything the page needs to draw itself, history included (reload keeps it). */
export interface ConsoleState {
  /** The extension's URL. */
  target: string;
  /** Whether requests are signed (`--key`). */
  signed: boolean;
  extensionId: string;
  /** Request locale, e.g. `ja-JP`. */
  locale: string;
  /** What the extension is, when known (`cekit dev` knows; `simulate --web` does not): empty means show both. */
  kinds: ('custom' | 'home')[];
  /** The interaction model from `--model`, or null: then typed sentences are refused and the intent form takes free names. */
  model: { intents: ConsoleIntent[] } | null;
  events: ConsoleEvent[];
  homeActions: ConsoleHomeAction[];
  /** Whether an access token was given (`--access-token` or `POST /api/token`); the token itself never leaves the server. */
  accessTokenSet: boolean;
  session: ConsoleSession;
  exchanges: ConsoleExchange[];
}

export interface ConsoleSession {
  open: boolean;
  id: string | null;
  /** What the next request carries. */
  attributes: Record<string, unknown>;
}

/** A Clova Home appliance from the last discovery, for a card. */
export interface ConsoleAppliance {
  applianceId: string;
  friendlyName: string;
  applianceType: string;
  manufacturerName: string;
  location: string | null;
  isReachable: boolean | null;
  actions: string[];
}

/** What one line did: `POST /api/run` answers one (in a `RunResult`); `GET /api/state` lists them all, oldest first. */
export interface ConsoleExchange {
  /** 1, 2, 3, … in the order they were run. */
  id: number;
  /** The command line as run; the script export writes it as is. */
  line: string;
  /** ISO time it was run. */
  at: string;
  /**
   * `reply`: a request was sent and something came back (any status). `error`: nothing was sent or
   * nothing came back (a usage error, a refused Home request, a connection failure, a timeout).
   */
  outcome: 'reply' | 'error';
  /** For `error`: what went wrong, and what to do about it. */
  error?: { message: string; hint?: string };
  /** For `reply`: */
  kind?: 'custom' | 'home';
  /** The message sent, exactly as signed. */
  request?: unknown;
  /** The HTTP headers sent (`signaturecek` included). */
  requestHeaders?: Record<string, string>;
  reply?: ConsoleReply;
  /** A typed sentence: how the model resolved it (with the near misses when nothing matched). */
  resolution?: ConsoleResolution;
  /** Custom: session attributes before (sent) and after (returned), and whether this reply ended the session. */
  session?: { before: Record<string, unknown>; after: Record<string, unknown>; ended: boolean };
  /** Home: the reply in words, e.g. "The device cannot be reached (offline)." for `TargetOfflineError`. */
  home?: {
    name: string;
    isError: boolean;
    summary: string;
    /** After a `DiscoverAppliancesResponse`: the appliances, for the cards. */
    appliances?: ConsoleAppliance[];
  };
}

export interface ConsoleReply {
  status: number;
  headers: Record<string, string>;
  /** The parsed body, or null when it is not JSON (then see `raw`). */
  body: unknown;
  /** The body as received, when it is not JSON (else omitted). */
  raw?: string;
  ms: number;
  /** CEK's deadline the time is measured against (8000). */
  deadlineMs: number;
  /** For a 4xx/5xx with a cekit JSON error body: its stable code (`SIGNATURE_INVALID`, …) and message. */
  refusal?: { code: string; message: string; hint?: string };
  problems: ConsoleProblem[];
  ok: boolean;
}

export interface ConsoleResolution {
  type: 'IntentRequest' | 'SessionEndedRequest';
  intent: string;
  slots: Record<string, { name: string; value?: string; unit?: string }>;
  via: 'sample' | 'builtin' | 'exit' | 'fallback';
  sample?: string;
  nearMisses: { intent: string; sample: string; score: number; reason: string; suggestion?: string }[];
}

/**
 * The routes (all on the console's own loopback origin):
 * - `GET /` the page; `GET /app.js`, `GET /app.css` its built assets (dist/console/);
 * - `GET /api/state` → `ConsoleState`;
 * - `POST /api/run` `RunBody` → `RunResult` (200 whatever the extension did; 4xx only for a bad API call);
 * - `POST /api/token` `TokenBody` → `ConsoleState`;
 * - `POST /api/reset` → `ConsoleState` (a new run: no history, no session; the token is kept);
 * - `GET /api/export/script` → text/plain, a `cekit simulate --script` file;
 * - `GET /api/export/json` → `ConsoleExchange[]`.
 */
export const API = {
  state: '/api/state',
  run: '/api/run',
  token: '/api/token',
  reset: '/api/reset',
  exportScript: '/api/export/script',
  exportJson: '/api/export/json',
} as const;

/** `POST /api/run` body. */
export interface RunBody {
  line: string;
}

/**
 * `POST /api/run` answer: what the line did, and the session it left behind (for the page's header),
 * so the page need not fetch the whole history again after every line.
 */
export interface RunResult {
  exchange: ConsoleExchange;
  session: ConsoleSession;
}

/** `POST /api/token` body: the account-linking token Clova Home requests carry (null: the placeholder). */
export interface TokenBody {
  token: string | null;
}

/** Every API error (4xx) answers `{ error: { code, message } }`, like the extension endpoint. */
export interface ConsoleApiError {
  error: { code: string; message: string };
}
