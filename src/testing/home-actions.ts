/**
 * Every Clova Home control and query interface (spec clova-home-extension.md §4.3, 87 of them), with the
 * request fields the spec marks required (§4.4) and the region whose docs list it. Derived from the
 * spec's tables for the simulator's request builders; the Clova Home framework owns the full catalog.
 */
export type HomeActionCategory = 'action' | 'switching' | 'incremental' | 'query' | 'value';

export interface HomeAction {
  readonly name: string;
  readonly category: HomeActionCategory;
  /** Documented in the JP docs, the KR docs, or both. */
  readonly regions: readonly ('JP' | 'KR')[];
  /** Request payload fields beyond `accessToken` and `appliance` that the spec requires. */
  readonly requiredFields: readonly string[];
}

// name category regions required-fields
const TABLE = `
ActionScene action JP scene
CallElevator action KR -
ChangeFanSpeed switching KR -
ChangeInputSource switching JP+KR -
ChangeMode switching KR -
ChangePower switching KR -
Charge action JP+KR -
Close action JP+KR -
DecrementBrightness incremental JP+KR deltaBrightness
DecrementChannel incremental JP+KR deltaChannel
DecrementFanSpeed incremental JP+KR deltaFanSpeed
DecrementIntensityLevel incremental JP+KR deltaIntensity
DecrementTargetTemperature incremental JP+KR deltaTemperature
DecrementVolume incremental JP+KR deltaVolume
GetAirQuality query JP+KR -
GetAsleepDuration query JP+KR -
GetAwakeDuration query JP+KR -
GetBMI query KR -
GetBatteryInfo query JP+KR -
GetBodyFat query KR -
GetCleaningCycle query JP+KR -
GetCloseTime query JP+KR -
GetConsumption query JP+KR -
GetCurrentBill query JP+KR -
GetCurrentSittingState query JP+KR -
GetCurrentTemperature query JP+KR -
GetDetectedTime query KR -
GetDetectionCount query KR -
GetDeviceState query JP+KR -
GetEstimateBill query JP+KR -
GetEstimateConsumption query KR -
GetExpendableState query JP+KR -
GetFineDust query JP+KR -
GetHealthScore query KR -
GetHumidity query JP+KR -
GetKeepWarmTime query JP+KR -
GetLockState query JP+KR -
GetMuscle query KR -
GetNotice query KR -
GetOpenState query JP+KR -
GetOpenTime query JP+KR -
GetPackage query KR -
GetPhase query JP+KR -
GetPowerState query KR -
GetProgressiveTaxBracket query JP+KR -
GetRemainingTime query JP+KR -
GetRightPostureRatio query JP+KR period
GetSleepScore query JP+KR -
GetSleepStartTime query JP+KR -
GetTargetTemperature query JP+KR -
GetUltraFineDust query JP+KR -
GetUsageTime query JP+KR period
GetVehicleLocation query KR -
GetWeight query KR -
HealthCheck query JP+KR -
IncrementBrightness incremental JP+KR deltaBrightness
IncrementChannel incremental JP+KR deltaChannel
IncrementFanSpeed incremental JP+KR deltaFanSpeed
IncrementIntensityLevel incremental JP+KR deltaIntensity
IncrementTargetTemperature incremental JP+KR deltaTemperature
IncrementVolume incremental JP+KR deltaVolume
Lower action JP+KR -
Mute action JP+KR -
Open action JP+KR -
Preheat action KR -
Raise action JP+KR -
ReleaseMode action JP+KR mode
SetBrightness value JP+KR brightness
SetChannel value JP+KR channel
SetChannelByName value JP+KR channelName
SetColor value JP+KR color
SetColorTemperature value JP+KR colorTemperature
SetFanSpeed value JP+KR fanSpeed
SetFreezerTargetTemperature value JP targetTemperature
SetFridgeTargetTemperature value JP targetTemperature
SetInputSourceByName value JP sourceName
SetLockState value JP+KR lockState
SetMode value JP+KR mode
SetTargetTemperature value JP+KR targetTemperature
StartOscillation action KR -
StartRecording action JP+KR -
Stop action JP+KR -
StopOscillation action KR -
StopRecording action JP+KR -
TurnOff action JP+KR -
TurnOn action JP+KR -
Unmute action JP+KR -
`;

export const HOME_ACTIONS: readonly HomeAction[] = TABLE.trim()
  .split('\n')
  .map((line) => {
    const [name, category, regions, fields] = line.split(' ') as [string, HomeActionCategory, string, string];
    return {
      name,
      category,
      regions: regions.split('+') as ('JP' | 'KR')[],
      requiredFields: fields === '-' ? [] : fields.split(','),
    };
  });
