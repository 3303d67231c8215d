// Command-line flags for the bench scripts (run.mjs, soak.mjs): one reader, one way to refuse a bad
// flag (a message naming the script, exit status 2).

/** The flag helpers for `program` (the name its error messages start with). */
export function commandLine(program) {
  const fail = (message) => {
    console.error(`${program}: ${message}`);
    process.exit(2);
  };
  const number = (accepts, rule) => (flag, text) => {
    const n = Number(text);
    if (!Number.isFinite(n) || !accepts(n)) fail(`${flag} ${rule}`);
    return n;
  };
  /**
   * Calls `onFlag(flag, value)` for each flag, where `value()` takes the argument after it; an
   * `onFlag` that returns false does not know the flag.
   */
  const parse = (argv, onFlag) => {
    for (let i = 0; i < argv.length; i++) {
      const flag = argv[i];
      const value = () => {
        const next = argv[++i];
        if (next === undefined) fail(`${flag} needs a value`);
        return next;
      };
      if (onFlag(flag, value) === false) fail(`unknown flag ${flag}`);
    }
  };
  return {
    fail,
    parse,
    positive: number((n) => n > 0, 'must be a positive number'),
    nonNegative: number((n) => n >= 0, 'must be a number >= 0'),
    ratio: number((n) => n >= 0 && n <= 1, 'must be between 0 and 1'),
  };
}
