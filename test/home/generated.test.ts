import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTION_NAMES, APPLIANCE_TYPES, ERRORS, INTERFACES, LOCATIONS, homePayloads } from 'cekit/home';
import { renderHomeFiles } from '../../scripts/generate-home.js';

describe('generated Clova Home schemas', () => {
  it('are up to date with the catalog (run `npm run generate:home` after editing src/home/catalog)', async () => {
    for (const [path, text] of Object.entries(await renderHomeFiles())) {
      expect(readFileSync(path, 'utf8'), path).toBe(text);
    }
  }, 30_000);

  it('cover the counts the spec states (§4.1, §5, §6.2, §6.6)', () => {
    expect(INTERFACES).toHaveLength(87);
    expect(new Set(ACTION_NAMES).size).toBe(87);
    expect(ERRORS).toHaveLength(14);
    expect(APPLIANCE_TYPES).toHaveLength(57);
    expect(APPLIANCE_TYPES.filter((type) => type.jp !== null)).toHaveLength(44);
    expect(LOCATIONS).toHaveLength(46);
    // 87 requests + 87 replies + 14 errors + 4 discovery messages.
    expect(Object.keys(homePayloads)).toHaveLength(87 * 2 + 14 + 4);
  });

  it('only name actions that exist in allowed-action lists', () => {
    const known = new Set<string>(ACTION_NAMES);
    const unknown = APPLIANCE_TYPES.flatMap((type) => [...(type.jp ?? []), ...(type.kr ?? [])]).filter(
      (action) => !known.has(action),
    );
    expect(unknown).toEqual([]);
  });
});
