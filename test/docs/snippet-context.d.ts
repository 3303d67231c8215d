// The names documentation snippets take for granted: what the surrounding prose says exists (an
// extension `app`, a handler's `ctx`, a running `server`...). Declared as globals so a snippet that
// defines its own `app` simply shadows this one. Library functions are NOT declared here: a snippet
// that calls one must import it, as a reader copying it would have to.
import type { Context, CustomRequest, Endpoint, Extension } from 'cekit';
import type { HomeExtension } from 'cekit/home';
import type { RunningServer } from 'cekit/node';
import type { HomeReply, TestKeyPair } from 'cekit/testing';
import type { expect as vitestExpect } from 'vitest';

declare global {
  /** The extension the guide is building. */
  const app: Extension<{ session: Record<string, unknown>; user: Record<string, unknown> }>;
  const extension: Extension;
  const customApp: Extension;
  const home: HomeExtension<unknown>;
  /** A handler's context. */
  const ctx: Context<{ session: Record<string, unknown>; user: Record<string, unknown> }>;
  const server: RunningServer;
  const keys: TestKeyPair;
  const endpoint: Endpoint;
  const launchRequest: CustomRequest;
  const body: string;
  const answer: unknown;
  const request: Request;
  const reply: HomeReply;
  const expect: typeof vitestExpect;
  const WEATHER_URL: string;
}
