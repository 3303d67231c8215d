/**
 * A Clova Home extension for a demo home with two devices kept in memory: a light and an air
 * conditioner. To connect real devices, replace the state below with calls to your device cloud, and
 * `authenticate` with a lookup of the access tokens your account-linking (OAuth) server issues.
 */
import { createHomeExtension, type HomeExtensionOptions } from 'cekit/home';
import { appliances } from './appliances.js';

/** The access token of the demo account; `npm run simulate` and `npm run check` send it. */
export const DEMO_ACCESS_TOKEN = 'demo-access-token';

/** What the demo devices are doing. */
export interface Home {
  light: { on: boolean; brightness: number };
  aircon: { on: boolean; targetTemperature: number; currentTemperature: number };
}

/**
 * Builds the extension. `cekit dev` calls it with `verify` trusting its development key, src/server.ts
 * with CEK's real key, the test with a key of its own: the same code answers in all three.
 */
export default function createApp(options: Pick<HomeExtensionOptions<Home>, 'verify' | 'logger'> = {}) {
  // One home per extension, in memory: it starts over when `cekit dev` reloads.
  const home: Home = {
    light: { on: false, brightness: 80 },
    aircon: { on: false, targetTemperature: 26, currentTemperature: 28.5 },
  };

  return createHomeExtension<Home>({
    ...options,
    // Every request carries the account-linking token; undefined answers InvalidAccessTokenError.
    authenticate: (accessToken) =>
      accessToken === DEMO_ACCESS_TOKEN ? { user: home, appliances } : undefined,
    // One driver per appliance type. A control returns its confirmation payload (or nothing), a query
    // (Get…, HealthCheck) its value; errors are replies: throw new HomeError('TargetOfflineError').
    drivers: {
      LIGHT: {
        TurnOn: ({ user }) => void (user.light.on = true),
        TurnOff: ({ user }) => void (user.light.on = false),
        SetBrightness: ({ user, request }) => {
          user.light.brightness = request.brightness.value;
          return { brightness: { value: user.light.brightness } };
        },
        HealthCheck: ({ user }) => ({ isReachable: true, isTurnOn: user.light.on }),
      },
      AIRCONDITIONER: {
        TurnOn: ({ user }) => void (user.aircon.on = true),
        TurnOff: ({ user }) => void (user.aircon.on = false),
        SetTargetTemperature: ({ user, request }) => {
          const previous = user.aircon.targetTemperature;
          user.aircon.targetTemperature = request.targetTemperature.value;
          return {
            targetTemperature: { value: user.aircon.targetTemperature },
            previousState: { targetTemperature: { value: previous } },
          };
        },
        GetCurrentTemperature: ({ user }) => ({
          currentTemperature: { value: user.aircon.currentTemperature },
        }),
        HealthCheck: ({ user }) => ({ isReachable: true, isTurnOn: user.aircon.on }),
      },
    },
  });
}
