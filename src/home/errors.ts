import type { HomeMessageName, HomePayload } from './messages.js';

/** Names of the Clova Home error replies (spec clova-home-extension.md §5). */
export type HomeErrorName = Extract<HomeMessageName, `${string}Error`>;

/**
 * Throw from an action handler to answer with a Clova Home error reply (HTTP 200, `header.name` = `name`,
 * spec §5). `ValueOutOfRangeError` needs `{ minimumValue, maximumValue }`, `ConditionsNotMetError` `{ state }`.
 */
export class HomeError<N extends HomeErrorName = HomeErrorName> extends Error {
  readonly errorName: N;
  readonly payload: HomePayload<N>;

  constructor(name: N, ...payload: keyof HomePayload<N> extends never ? [] : [HomePayload<N>]) {
    super(name);
    this.name = 'HomeError';
    this.errorName = name;
    this.payload = (payload[0] ?? {}) as HomePayload<N>;
  }
}
