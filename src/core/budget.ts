import type { DispatchContext } from './dispatcher.js';
import type { RawRequest } from './endpoint.js';
import type { MessageKind } from './message-kind.js';

/**
 * The dispatch context, which also owns the response budget of one request. Its AbortController is
 * only built when a handler asks for `signal`: most never do, and an AbortController per request is
 * a measurable share of the hot path.
 */
export class BudgetContext implements DispatchContext {
  readonly kind: MessageKind;
  readonly receivedAt: number;
  readonly deadline: number;
  readonly request: RawRequest | undefined;
  #controller: AbortController | undefined;
  #reason: unknown;
  #aborted = false;

  constructor(kind: MessageKind, receivedAt: number, budgetMs: number, request?: RawRequest) {
    this.kind = kind;
    this.request = request;
    this.receivedAt = receivedAt;
    this.deadline = receivedAt + budgetMs;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Whether the budget ran out, read without creating the signal. */
  get aborted(): boolean {
    return this.#aborted;
  }

  abort(reason: unknown): void {
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}

export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * `pending`, or TIMED_OUT once `budgetMs` have passed since `receivedAt`. The budget counts from the
 * request's arrival, not from dispatch: time spent reading the body or queued behind other requests
 * is already gone from CEK's deadline.
 */
export function withinBudget<T>(
  pending: PromiseLike<T>,
  receivedAt: number,
  budgetMs: number,
): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const left = Math.max(0, budgetMs - (performance.now() - receivedAt));
  const budget = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(resolve, left, TIMED_OUT);
  });
  return Promise.race([pending, budget]).finally(() => clearTimeout(timer));
}
