/**
 * Where persistent user attributes live, keyed by CLOVA user id (`context.System.user.userId`).
 * Three methods so any database fits in a few lines; cekit ships `memoryStore` and `fileStore`.
 */
export interface UserStore<T = Record<string, unknown>> {
  get(userId: string): Promise<T | undefined>;
  set(userId: string, value: T): Promise<void>;
  delete(userId: string): Promise<void>;
}
