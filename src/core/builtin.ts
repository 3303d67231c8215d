/**
 * A Node built-in module, loaded when first asked for, or `undefined` where the runtime has none.
 *
 * Why not `import`: a static `import 'node:…'` is compiled at start-up even when the first request
 * never needs it (cold start on Lambda), and it makes a runtime without that module (Cloudflare
 * Workers without `nodejs_compat`) refuse the whole bundle before any code runs. `getBuiltinModule`
 * exists on Node ≥ 20.16, Bun, Deno, and Workers with `nodejs_compat`; bundlers leave it alone.
 */
export function nodeBuiltin<T>(id: `node:${string}`): T | undefined {
  const loader = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule;
  if (typeof loader !== 'function') return undefined;
  try {
    return loader(id) as T | undefined;
  } catch {
    return undefined;
  }
}
