// Child process of file-store-crash.test.ts: rewrites every user's file, all at once, until killed.
import { fileStore, silentLogger } from 'cekit';

const [directory, round] = process.argv.slice(2) as [string, string];
const store = fileStore<{ round: number; n: number; pad: string }>({ directory, logger: silentLogger });
const users = Array.from({ length: 20 }, (_, i) => `U${i}`);
const pad = 'x'.repeat(32 * 1024); // big enough that a kill often lands mid-write
for (let n = 0; ; n++) {
  await Promise.all(users.map((user) => store.set(user, { round: Number(round), n, pad })));
}
