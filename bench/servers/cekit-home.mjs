// A Clova Home extension through cekit/node: SignatureCEK verification (the run key), JSON checks,
// validation of the SetTargetTemperatureRequest against the generated schema, the access-token hook,
// routing to the appliance and its driver, range check, and the typed confirmation with a fresh UUID.
import { silentLogger } from 'cekit';
import { createHomeExtension } from 'cekit/home';
import { serve } from 'cekit/node';

export const row = {
  name: 'cekit-home',
  description: 'Clova Home SetTargetTemperatureRequest via createHomeExtension + cekit/node',
  order: 40,
  compareTo: 'baseline-home',
  target: 0.9,
  payload: {
    body: {
      header: {
        messageId: '3b1b8c7e-4c8e-4f0e-9a70-3fd1e0a6c001',
        name: 'SetTargetTemperatureRequest',
        namespace: 'ClovaHome',
        payloadVersion: '1.0',
      },
      payload: {
        accessToken: 'bench-token',
        appliance: { applianceId: 'aircon-1' },
        targetTemperature: { value: 24 },
      },
    },
  },
};

const appliances = [
  {
    id: 'aircon-1',
    type: 'AIRCONDITIONER',
    name: 'Air conditioner',
    manufacturer: 'cekit',
    model: 'bench',
    ranges: { targetTemperature: { min: 18, max: 30 } },
  },
];

export async function start({ port, publicKeyPem }) {
  const state = { targetTemperature: 26 };
  const home = createHomeExtension({
    verify: { keys: [publicKeyPem], bundledKey: false, keyUrl: false },
    requestLog: false,
    logger: silentLogger,
    authenticate: (token) => (token === 'bench-token' ? { user: state, appliances } : undefined),
    actions: {
      SetTargetTemperature: ({ user, request }) => {
        const previous = user.targetTemperature;
        user.targetTemperature = request.targetTemperature.value;
        return {
          targetTemperature: { value: user.targetTemperature },
          previousState: { targetTemperature: { value: previous } },
        };
      },
    },
  });
  return serve(home, { port, host: '127.0.0.1', handleSignals: false });
}
