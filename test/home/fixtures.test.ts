import { describe, expect, it } from 'vitest';
import { validateHomeMessage } from 'cekit/home';
import { formatIssue } from '../../src/schema/index.js';
import { listFixtures, readFixture } from '../helpers/fixtures.js';

describe('every Clova Home fixture validates against the generated schemas', () => {
  for (const name of listFixtures('home')) {
    it(name, () => {
      const fixture = readFixture(`home/${name}`);
      const message = 'message' in fixture ? fixture.message : fixture;
      expect(validateHomeMessage(message).map(formatIssue)).toEqual([]);
    });
  }
});
