// Derived from the spec tables (spec clova-home-extension.md §5). Data only: edit here, then run
// `npm run generate:home` to regenerate src/home/generated and schema/home-messages.json.

import type { ErrorEntry } from './types.js';

export const ERRORS: readonly ErrorEntry[] = [
  {
    name: 'ActionFailedError',
    docs: 'KR only',
    when: 'The device failed while preparing or executing the requested action (e.g. recording could not start).',
  },
  {
    name: 'ActionTemporarilyBlockedError',
    docs: 'JP, KR',
    when: 'The request was refused for device/user safety, e.g. too many requests in a short time.',
  },
  {
    name: 'ConditionsNotMetError',
    docs: 'JP, KR',
    when: 'A condition/state required for the action is not satisfied.',
  },
  { name: 'DeviceFailureError', docs: 'JP, KR', when: 'The device itself has a fault.' },
  { name: 'DriverInternalError', docs: 'JP, KR', when: 'Internal error in the extension / IoT service.' },
  { name: 'ExpiredAccessTokenError', docs: 'JP, KR', when: 'The account-linking access token has expired.' },
  {
    name: 'InvalidAccessTokenError',
    docs: 'JP, KR',
    when: 'The user revoked the authorisation behind the access token.',
  },
  {
    name: 'NoSuchTargetError',
    docs: 'JP, KR',
    when: 'The target device does not exist (e.g. removed in the IoT service but still listed in the CLOVA app).',
  },
  {
    name: 'NotSupportedInCurrentModeError',
    docs: 'JP, KR',
    when: "The operation is impossible in the device's current mode (e.g. changing temperature while an air conditioner dehumidifies).",
  },
  { name: 'TargetOfflineError', docs: 'JP, KR', when: 'The device cannot be reached (offline).' },
  {
    name: 'UnsupportedOperationError',
    docs: 'JP, KR',
    when: 'The device does not support the requested operation/value, e.g. `SetModeRequest` with a mode the device lacks.',
  },
  {
    name: 'ValueNotFoundError',
    docs: 'JP, KR',
    when: 'The device could not measure/store the requested value (e.g. sensor fault).',
  },
  {
    name: 'ValueNotSupportedError',
    docs: 'JP, KR',
    when: 'The device does not support that value (e.g. 26.5 °C on a device with 1 °C steps; an unconfigured TV channel).',
  },
  {
    name: 'ValueOutOfRangeError',
    docs: 'JP, KR',
    when: "The requested value is outside the device's range.",
  },
];
