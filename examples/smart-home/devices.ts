import { HomeError, type Appliance, type HomeDrivers } from 'cekit/home';

/** In-memory state of the simulated devices (one home). */
export interface HomeState {
  light: { on: boolean; brightness: number; color: { hue: number; saturation: number } };
  aircon: { on: boolean; mode: string; targetTemperature: number; currentTemperature: number };
  tv: { on: boolean; channel: number; volume: number; muted: boolean };
  lock: { state: 'LOCKED' | 'UNLOCKED' };
}

export const initialState = (): HomeState => ({
  light: { on: false, brightness: 80, color: { hue: 30, saturation: 20 } },
  aircon: { on: false, mode: 'cool', targetTemperature: 26, currentTemperature: 29.5 },
  tv: { on: false, channel: 4, volume: 12, muted: false },
  lock: { state: 'LOCKED' },
});

export const appliances: readonly Appliance[] = [
  {
    id: 'light-1',
    type: 'LIGHT',
    name: 'Living room light',
    manufacturer: 'cekit',
    model: 'SimLight',
    location: 'LIVING_ROOM',
    actions: [
      'TurnOn',
      'TurnOff',
      'SetBrightness',
      'IncrementBrightness',
      'DecrementBrightness',
      'SetColor',
      'HealthCheck',
    ],
  },
  {
    id: 'aircon-1',
    type: 'AIRCONDITIONER',
    name: 'Bedroom air conditioner',
    manufacturer: 'cekit',
    model: 'SimAir',
    location: 'BED_ROOM',
    modes: ['auto', 'cool', 'heat', 'dehumidify'],
    ranges: { targetTemperature: { min: 18, max: 30 } },
  },
  { id: 'tv-1', type: 'SMARTTV', name: 'TV', manufacturer: 'cekit', model: 'SimTV', location: 'LIVING_ROOM' },
  {
    id: 'lock-1',
    type: 'SMARTLOCK',
    name: 'Front door',
    manufacturer: 'cekit',
    model: 'SimLock',
    location: 'ENTRANCE',
  },
];

/**
 * Drivers per appliance type; `user` is the home's state (see createSmartHome). Typed per type: a handler
 * for an action the type does not allow (§6.2) is a compile error.
 */
export const drivers: HomeDrivers<HomeState> = {
  LIGHT: {
    TurnOn: ({ user }) => void (user.light.on = true),
    TurnOff: ({ user }) => void (user.light.on = false),
    SetBrightness: ({ user, request }) => {
      user.light.brightness = request.brightness.value;
      return { brightness: { value: user.light.brightness } };
    },
    IncrementBrightness: ({ user, request }) => {
      const previous = user.light.brightness;
      user.light.brightness = Math.min(100, previous + request.deltaBrightness.value);
      return {
        brightness: { value: user.light.brightness },
        previousState: { brightness: { value: previous } },
      };
    },
    DecrementBrightness: ({ user, request }) => {
      const previous = user.light.brightness;
      user.light.brightness = Math.max(0, previous - request.deltaBrightness.value);
      return {
        brightness: { value: user.light.brightness },
        previousState: { brightness: { value: previous } },
      };
    },
    SetColor: ({ user, request }) => {
      user.light.color = { hue: request.color.hue, saturation: request.color.saturation };
      return { color: request.color };
    },
    HealthCheck: ({ user }) => ({ isReachable: true, isTurnOn: user.light.on }),
  },
  AIRCONDITIONER: {
    TurnOn: ({ user }) => {
      user.aircon.on = true;
      return {
        mode: { value: user.aircon.mode },
        targetTemperature: { value: user.aircon.targetTemperature },
      };
    },
    TurnOff: ({ user }) => void (user.aircon.on = false),
    SetMode: ({ user, request }) => {
      user.aircon.mode = request.mode.value;
      return { mode: request.mode };
    },
    SetTargetTemperature: ({ user, request }) => {
      if (user.aircon.mode === 'dehumidify') throw new HomeError('NotSupportedInCurrentModeError');
      const previous = user.aircon.targetTemperature;
      user.aircon.targetTemperature = request.targetTemperature.value;
      return {
        targetTemperature: { value: user.aircon.targetTemperature },
        previousState: { targetTemperature: { value: previous } },
      };
    },
    GetCurrentTemperature: ({ user }) => ({ currentTemperature: { value: user.aircon.currentTemperature } }),
    GetTargetTemperature: ({ user }) => ({ targetTemperature: { value: user.aircon.targetTemperature } }),
    HealthCheck: ({ user }) => ({ isReachable: true, isTurnOn: user.aircon.on }),
  },
  SMARTTV: {
    TurnOn: ({ user }) => void (user.tv.on = true),
    TurnOff: ({ user }) => void (user.tv.on = false),
    SetChannel: ({ user, request }) => {
      user.tv.channel = request.channel.value;
      return { channel: { value: user.tv.channel } };
    },
    IncrementVolume: ({ user, request }) => {
      const previous = user.tv.volume;
      user.tv.volume = Math.min(100, previous + request.deltaVolume.value);
      return {
        targetVolume: { value: user.tv.volume },
        previousState: { targetVolume: { value: previous } },
      };
    },
    DecrementVolume: ({ user, request }) => {
      const previous = user.tv.volume;
      user.tv.volume = Math.max(0, previous - request.deltaVolume.value);
      return {
        targetVolume: { value: user.tv.volume },
        previousState: { targetVolume: { value: previous } },
      };
    },
    Mute: ({ user }) => void (user.tv.muted = true),
    Unmute: ({ user }) => void (user.tv.muted = false),
  },
  SMARTLOCK: {
    SetLockState: ({ user, request }) => {
      if (request.lockState !== 'LOCKED' && request.lockState !== 'UNLOCKED')
        throw new HomeError('ValueNotSupportedError');
      user.lock.state = request.lockState;
      return { lockState: user.lock.state };
    },
    GetLockState: ({ user }) => ({ lockState: user.lock.state }),
  },
};
