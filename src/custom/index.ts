export {
  createExtension,
  Extension,
  type ExtensionOptions,
  type FallbackTexts,
  type ModelOption,
  type ModelMismatch,
} from './extension.js';
export {
  defineModel,
  isBuiltinSlotType,
  BUILTIN_SLOT_KINDS,
  BUILTIN_SLOT_TYPES,
  type ExtensionModel,
  type BuiltinSlotType,
  type ModelSlotValue,
  type ModelSlots,
  type ModelOf,
  type IntentNameOf,
} from './model.js';
export { Context, type ExtensionTypes, type SessionOf, type UserOf } from './context.js';
export type {
  AnyHandlerContext,
  Dialog,
  DialogAnswers,
  DialogContext,
  DialogIntentName,
  DialogKnownSlots,
  DialogOptions,
  DialogSlotOptions,
  DialogSlots,
  DialogSlotsOptions,
  DialogSlotsShape,
  DialogText,
  TypedDialogSlotOptions,
} from './dialog.js';
export { DIALOG_STATE_KEY } from './dialog-state.js';
export { UserAttributes } from './user-attributes.js';
export type {
  Awaitable,
  Handler,
  LaunchContext,
  IntentContext,
  IntentSlots,
  EventContext,
  SessionEndedContext,
  Middleware,
  ErrorHandler,
  HandlerResult,
  BuiltinIntent,
  IntentName,
  CheckedIntentName,
  EventPattern,
  CheckedEventPattern,
  EventOf,
} from './handlers.js';
export { BUILTIN_INTENTS } from './handlers.js';
export { ResponseBuilder, type PlayOptions, type StreamDeliverOptions } from './response-builder.js';
export { audio, text, type SpeechPart, type SpeechInput } from './speech.js';
export { SlotView, type SlotSpec, type SlotKinds, type ParsedSlots, type SlotValueOf } from './slots.js';
export {
  parseDateTimeSlot,
  parseDate,
  parseTime,
  parseDateTime,
  parseDuration,
  parseNumber,
  type TimeOfDay,
  type CalendarDate,
  type DateTimeValue,
  type PointInTime,
  type Interval,
  type DateTimeSlotValue,
  type Duration,
  type Amount,
} from './slot-values.js';
export {
  defineMessages,
  languageOfLocale,
  type Catalog,
  type MessageCatalog,
  type Messages,
} from './i18n.js';
export { ResponseError, ExtensionError, type ResponseErrorCode } from './errors.js';
export {
  memoryStore,
  fileStore,
  keyValueStore,
  StoreError,
  type StoreErrorCode,
  type UserStore,
  type UserRecord,
  type OpenOptions,
  type StoreAccess,
  type KeyValueStore,
  type MemoryStoreOptions,
  type FileStoreOptions,
} from '../storage/index.js';
export * from './protocol/index.js';
// What the validators above return, from the schema language they are written in.
export {
  formatIssue,
  formatPath,
  type Issue,
  type ValidationResult,
  type Infer,
  type Schema,
  type JsonSchema,
} from '../schema/index.js';
