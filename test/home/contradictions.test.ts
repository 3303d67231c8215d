import { describe, expect, it } from 'vitest';
import { homeMessage, validateHomeMessage } from 'cekit/home';

const target = { accessToken: 't', appliance: { applianceId: 'a' } };

/** Spec clova-home-extension.md §8 #3: where an example contradicts its field table, the table wins. */
describe('example/table contradictions follow the table', () => {
  it('SetChannelByName needs `channelName` (the JP example sends `channel`)', () => {
    const jpExample = homeMessage('SetChannelByNameRequest', {
      ...target,
      channel: { value: 'sbs' },
    } as never);
    expect(validateHomeMessage(jpExample).map((issue) => issue.path.join('.'))).toEqual([
      'payload.channelName',
    ]);
    const table = homeMessage('SetChannelByNameRequest', { ...target, channelName: { value: 'sbs' } });
    expect(validateHomeMessage(table)).toEqual([]);
  });

  it('IncrementIntensityLevel needs `deltaIntensity` (the JP example sends `deltaTemperature`)', () => {
    const jpExample = homeMessage('IncrementIntensityLevelRequest', {
      ...target,
      deltaTemperature: { value: 1 },
    } as never);
    expect(validateHomeMessage(jpExample).map((issue) => issue.path.join('.'))).toEqual([
      'payload.deltaIntensity',
    ]);
  });

  it('ActionScene targets a scene (`sceneId`, not `applianceId`)', () => {
    const example = homeMessage('ActionSceneRequest', {
      accessToken: 't',
      scene: { applianceId: 'x' },
    } as never);
    expect(validateHomeMessage(example).length).toBeGreaterThan(0);
    const table = homeMessage('ActionSceneRequest', {
      accessToken: 't',
      scene: { sceneId: 's', sceneName: 'Night' },
    });
    expect(validateHomeMessage(table)).toEqual([]);
  });

  it('the CLOVAHome namespace typo is refused (§1: the normative value is ClovaHome)', () => {
    const typo = { ...homeMessage('HealthCheckResponse', { isReachable: true, isTurnOn: true }) };
    typo.header = { ...typo.header, namespace: 'CLOVAHome' as 'ClovaHome' };
    expect(validateHomeMessage(typo).map((issue) => issue.path.join('.'))).toEqual(['header.namespace']);
  });
});
