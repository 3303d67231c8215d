import type { Clova } from './types.js';

/**
 * The handler's argument, with the SDK's getters and setters and their empty values (`null` for a
 * missing slot or intent name, `{}` for no slots). Its only own properties are `requestObject` and
 * `responseObject`, as in the SDK: tests compare contexts by value.
 *
 * Kept on purpose: the response's `sessionAttributes` starts as the very object the request carried,
 * so changing what `getSessionAttributes()` returned carries the change into the answer. Extensions
 * written for the SDK rely on that.
 */
export class Context implements Clova.ClientContext {
  requestObject: Clova.RequestBody;
  responseObject: Clova.ResponseBody;

  constructor(requestBody: Clova.RequestBody) {
    this.requestObject = requestBody;
    this.responseObject = {
      response: {
        card: {},
        directives: [],
        outputSpeech: {},
        // Events are answered without opening a conversation unless the handler says otherwise.
        shouldEndSession: requestBody.request.type === 'EventRequest',
      },
      sessionAttributes: requestBody.session?.sessionAttributes ?? {},
      version: requestBody.version,
    };
  }

  /** Ends the session and drops the session attributes. */
  endSession(): void {
    this.responseObject.response.shouldEndSession = true;
    this.responseObject.sessionAttributes = {};
  }

  getSessionId(): string {
    return this.requestObject.session.sessionId;
  }

  /** The intent's name, or `null` for a request without one (launch, events). */
  getIntentName(): string | null {
    const intent = intentOf(this.requestObject);
    return intent ? intent.name : null;
  }

  /** `{ slotName: value }` for every slot of the intent; `{}` without an intent. */
  getSlots(): { [name: string]: Clova.SlotValue } {
    return slotFields(this.requestObject, 'value') as { [name: string]: Clova.SlotValue };
  }

  /** `{ slotName: valueType }` for the slots that have one (date and time slots). */
  getSlotValueTypes(): { [name: string]: Clova.SlotValueType } {
    return slotFields(this.requestObject, 'valueType') as { [name: string]: Clova.SlotValueType };
  }

  /** `{ slotName: unit }` for the slots that have one. */
  getSlotUnits(): { [name: string]: Clova.SlotUnit } {
    return slotFields(this.requestObject, 'unit') as { [name: string]: Clova.SlotUnit };
  }

  /** One slot's value, or `null` (also for an empty value, as in the SDK). */
  getSlot(slotName: string): Clova.SlotValue {
    return ownValue(this.getSlots(), slotName) || null;
  }

  getSlotValueType(slotName: string): Clova.SlotValueType {
    return (ownValue(this.getSlotValueTypes(), slotName) || null) as Clova.SlotValueType;
  }

  getSlotUnit(slotName: string): Clova.SlotUnit {
    return ownValue(this.getSlotUnits(), slotName) || null;
  }

  /** `session.user`: the user id and, when account linking is on, the access token. */
  getUser(): Clova.User {
    return this.requestObject.session.user;
  }

  /** Sets the speech, or with `reprompt` the reprompt's speech. */
  setOutputSpeech(outputSpeech: Clova.OutputSpeech, reprompt = false): void {
    if (reprompt) this.responseObject.response.reprompt = { outputSpeech };
    else this.responseObject.response.outputSpeech = outputSpeech;
  }

  setReprompt(outputSpeech: Clova.OutputSpeech): void {
    this.responseObject.response.reprompt = { outputSpeech };
  }

  setSimpleSpeech(speechInfo: Clova.SpeechInfoObject, reprompt = false): this {
    this.setOutputSpeech({ type: 'SimpleSpeech', values: speechInfo }, reprompt);
    return this;
  }

  setSpeechList(speechInfo: Clova.SpeechInfoObject[], reprompt = false): this {
    this.setOutputSpeech({ type: 'SpeechList', values: speechInfo }, reprompt);
    return this;
  }

  setSpeechSet(
    speechInfoBrief: Clova.SpeechInfoObject,
    speechInfoVerbose: Clova.OutputSpeechVerbose,
    reprompt = false,
  ): this {
    this.setOutputSpeech({ type: 'SpeechSet', brief: speechInfoBrief, verbose: speechInfoVerbose }, reprompt);
    return this;
  }

  /** The session attributes the request carried (the same object the answer starts with). */
  getSessionAttributes(): object {
    return this.requestObject.session.sessionAttributes;
  }

  setSessionAttributes(sessionAttributes: object): void {
    this.responseObject.sessionAttributes = sessionAttributes;
  }
}

type Slot = { name: string; value: Clova.SlotValue; valueType?: Clova.SlotValueType; unit?: Clova.SlotUnit };

function intentOf(requestBody: Clova.RequestBody): Clova.IntentRequest['intent'] | undefined {
  const request = requestBody.request as Partial<Clova.IntentRequest>;
  return request.intent ?? undefined;
}

/**
 * One field of every slot, keyed by the slot's name. Slot names come from the request, so each is
 * defined as an own property: a slot named `__proto__` is a key like any other, never a prototype.
 * `value` is kept whatever it is; `valueType` and `unit` only when set (as the SDK did).
 */
function slotFields(
  requestBody: Clova.RequestBody,
  field: 'value' | 'valueType' | 'unit',
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const slots = intentOf(requestBody)?.slots;
  if (!slots) return result;
  for (const slot of Object.values(slots) as Slot[]) {
    const value = slot[field];
    if (field !== 'value' && !value) continue;
    Object.defineProperty(result, slot.name, { value, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/** `record[key]` when `key` is the record's own: `getSlot('constructor')` must not find Object's. */
function ownValue<V>(record: { [key: string]: V }, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
