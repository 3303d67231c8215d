import type { UserStore } from 'cekit';

/** Wraps a store to count what requests do with it: opens, commits, releases. */
export function countingStore<S extends UserStore>(store: S) {
  const counts = { opens: 0, commits: 0, releases: 0 };
  const counting: UserStore & typeof counts = Object.assign(counts, {
    maxBytes: store.maxBytes,
    async open(...args: Parameters<UserStore['open']>) {
      counts.opens++;
      const record = await store.open(...args);
      return {
        json: record.json,
        commit: (json: string | undefined) => (counts.commits++, record.commit(json)),
        release: () => (counts.releases++, record.release()),
      };
    },
  });
  return counting;
}
