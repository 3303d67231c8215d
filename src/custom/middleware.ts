import type { Context, ExtensionTypes } from './context.js';
import { ExtensionError } from './errors.js';
import type { Middleware } from './handlers.js';

/**
 * Koa-style composition: each middleware gets `next()` to run the rest of the chain (and finally the
 * handler). Calling `next()` twice would run the handler twice, so it throws.
 */
export function compose<T extends ExtensionTypes>(
  middleware: readonly Middleware<T>[],
  last: (ctx: Context<T>) => Promise<void>,
): (ctx: Context<T>) => Promise<void> {
  if (middleware.length === 0) return last;
  return (ctx) => {
    let index = -1;
    const step = async (i: number): Promise<void> => {
      if (i <= index) throw new ExtensionError('NEXT_CALLED_TWICE', 'next() was called more than once.');
      index = i;
      const current = middleware[i];
      if (current === undefined) return last(ctx);
      await current(ctx, () => step(i + 1));
    };
    return step(0);
  };
}
