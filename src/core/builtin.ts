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

/**
 * {@link nodeBuiltin} for a feature that cannot work without the module: a `TypeError` naming the
 * feature, the module, where it exists, and `instead` (what to do on a runtime without it).
 */
export function requireNodeBuiltin<T>(
  id: `node:${string}`,
  feature: string,
  instead = 'on Cloudflare Workers enable the nodejs_compat flag',
): T {
  const found = nodeBuiltin<T>(id);
  if (found !== undefined) return found;
  throw new TypeError(
    `${feature} needs ${id}, which this runtime does not offer (Node >= 20.16, Bun and Deno have it; ${instead}).`,
  );
}
