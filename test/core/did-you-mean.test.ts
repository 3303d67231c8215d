import { describe, expect, it } from 'vitest';
import { closestName, didYouMean } from '../../src/core/did-you-mean.js';

describe('did-you-mean suggestions', () => {
  it('finds the name a typo came from', () => {
    expect(closestName('LIGTH', ['LIGHT', 'LOCK', 'LAUNDRY'])).toBe('LIGHT');
    expect(closestName('Clova.GuidIntent', ['Clova.GuideIntent', 'Clova.YesIntent'])).toBe(
      'Clova.GuideIntent',
    );
    expect(closestName('CLOVA.NUMBR', ['CLOVA.NUMBER', 'CLOVA.WHOLE_NUMBER'])).toBe('CLOVA.NUMBER');
    expect(closestName('PlayFinishd', ['PlayFinished', 'PlayStarted'])).toBe('PlayFinished');
    expect(closestName('living_room', ['LIVING_ROOM', 'KITCHEN'])).toBe('LIVING_ROOM');
  });

  it('suggests nothing for an exact name or a name far from every candidate', () => {
    expect(closestName('LIGHT', ['LIGHT', 'LIGHTS'])).toBeUndefined();
    expect(closestName('FOO', ['LIGHT', 'LOCK'])).toBeUndefined();
    expect(closestName('OrderPizza', [])).toBeUndefined();
  });

  it('phrases the hint for a message', () => {
    expect(didYouMean('TunrOff', ['TurnOn', 'TurnOff'])).toBe(' Did you mean "TurnOff"?');
    expect(didYouMean('xyz', ['TurnOn'])).toBe('');
  });
});
