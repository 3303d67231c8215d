// Whether this machine can pin processes to CPUs: the runner pins server and load generator, the
// Redis of the store rows stays off the server's CPU.
import { execFileSync } from 'node:child_process';

export function hasTaskset() {
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
