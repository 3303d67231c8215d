/**
 * The type names of `@line/clova-cek-sdk-nodejs` 1.2, under the same `Clova` namespace, so code that
 * annotates with `Clova.RequestBody`, `Clova.SpeechInfoObject`, `Clova.ClientContext`... compiles
 * unchanged after the import moves to `cekit/clova-sdk`. The shapes follow the SDK's (looser than
 * cekit's own protocol types in places, e.g. `SlotValue`), because tightening them here would break
 * code that compiled before the move. Types only: nothing here exists at run time.
 * @module
 */

/* eslint-disable @typescript-eslint/no-namespace, @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type --
 * A namespace, because the SDK's users write `Clova.X`; `any` and `{}` where the SDK's published
 * types have them, because code that compiled against those must compile against these. */
export declare namespace Clova {
  /** A request and its response, as a pair. */
  interface ClovaMessage {
    requestBody: RequestBody;
    responseBody: ResponseBody;
  }

  /** A Custom extension request as CEK sends it. */
  interface RequestBody {
    version: string;
    session: Session;
    context: Context;
    request: Request;
  }

  type Context = {
    AudioPlayer?: {
      offsetInMilliseconds?: number;
      playerActivity: string;
      stream?: any;
      totalInMilliseconds?: number;
    };
    System: {
      application: { applicationId: string };
      device: {
        deviceId: string;
        display: {
          size: string;
          orientation?: string;
          dpi?: number;
          contentLayer?: { width: number; height: number };
        };
      };
      user: { userId: string; accessToken: string };
    };
  };

  type Request = LaunchRequest | IntentRequest | EventRequest | SessionEndedRequest;

  type LaunchRequest = { type: 'LaunchRequest' };

  type IntentRequest = {
    type: 'IntentRequest';
    intent: {
      name: string;
      slots: {
        [name: string]: { name: string; value: SlotValue; valueType?: SlotValueType; unit?: SlotUnit };
      };
    };
  };

  type EventRequest = {
    type: 'EventRequest';
    requestId: string;
    timestamp: string;
    locale: string;
    extensionId: string;
    event:
      | clovaSkill.SkillEnabled
      | clovaSkill.SkillDisabled
      | audioPlayer.PlayFinished
      | audioPlayer.PlayPaused
      | audioPlayer.PlayResumed
      | audioPlayer.PlayStarted
      | audioPlayer.PlayStopped
      | audioPlayer.ProgressReportDelayPassed
      | audioPlayer.ProgressReportIntervalPassed
      | audioPlayer.ProgressReportPositionPassed
      | audioPlayer.StreamRequested;
  };

  type SessionEndedRequest = { type: 'SessionEndedRequest' };

  type Session = {
    new: boolean;
    sessionAttributes: object;
    sessionId: string;
    user: User;
  };

  type User = { userId: string; accessToken?: string };

  /** A Custom extension response. */
  interface ResponseBody {
    version: string;
    sessionAttributes: object;
    response: Response;
  }

  interface Response {
    outputSpeech: OutputSpeech;
    card: Card;
    directives: Directive[];
    reprompt?: { outputSpeech: OutputSpeech };
    shouldEndSession: boolean;
  }

  type Card = {};

  type Directive = {
    header: { namespace: string; name: string; messageId: string };
    payload: object;
  };

  type OutputSpeech = OutputSpeechSimple | OutputSpeechList | OutputSpeechSet | {};

  type OutputSpeechSimple = {
    type: 'SimpleSpeech';
    values: SpeechInfoObject;
    brief?: SpeechInfoObject;
    verbose?: OutputSpeechVerbose;
  };

  type OutputSpeechList = {
    type: 'SpeechList';
    values: SpeechInfoObject[];
    brief?: SpeechInfoObject;
    verbose?: OutputSpeechVerbose;
  };

  type OutputSpeechSet = {
    type: 'SpeechSet';
    brief: SpeechInfoObject;
    verbose: OutputSpeechVerbose;
    values?: SpeechInfoObject;
  };

  type OutputSpeechVerbose = OutputSpeechSimpleVerbose | OutputSpeechListVerbose;
  type OutputSpeechSimpleVerbose = { type: 'SimpleSpeech'; values: SpeechInfoObject };
  type OutputSpeechListVerbose = { type: 'SpeechList'; values: SpeechInfoObject[] };

  type SpeechInfoObject = SpeechInfoText | SpeechInfoUrl;
  type SpeechInfoText = { type: 'PlainText'; lang: SpeechLang; value: string };
  type SpeechInfoUrl = { type: 'URL'; lang: ''; value: string };

  type SlotValue = string | number | null;
  type SlotUnit = string | null;
  type SlotValueType = 'DATETIME' | 'DATETIME.INTERVAL' | 'DATE' | 'DATE.INTERVAL' | 'TIME' | 'TIME.INTERVAL';
  type SpeechLang = 'ja' | 'ko' | 'en';
  type OutputSpeechType = 'SimpleSpeech' | 'SpeechList' | 'SpeechSet';
  type RequestHandlerType = 'LaunchRequest' | 'IntentRequest' | 'EventRequest' | 'SessionEndedRequest';

  /** What `Client.configureSkill()` returns, as an interface. */
  interface SkillConfigurator<T> {
    config: { requestHandlers: { [type: string]: (ctx: T) => void } };
    on(requestType: RequestHandlerType, requestHandler: (ctx: T) => void): SkillConfigurator<T>;
    onLaunchRequest(requestHandler: (ctx: T) => void): SkillConfigurator<T>;
    onIntentRequest(requestHandler: (ctx: T) => void): SkillConfigurator<T>;
    onEventRequest(requestHandler: (ctx: T) => void): SkillConfigurator<T>;
    onSessionEndedRequest(requestHandler: (ctx: T) => void): SkillConfigurator<T>;
    handle(): (req: any, res: any) => void;
  }

  interface MiddlewareOptions {
    applicationId: string;
  }

  /** The handler's argument (`Context`), as an interface. */
  interface ClientContext {
    requestObject: RequestBody;
    responseObject: ResponseBody;
    endSession(): void;
    getSessionId(): string;
    getIntentName(): string | null;
    getSlots(): { [name: string]: SlotValue };
    getSlotValueTypes(): { [name: string]: SlotValueType };
    getSlotUnits(): { [name: string]: SlotUnit };
    getSlot(slotName: string): SlotValue;
    getSlotValueType(slotName: string): SlotValueType;
    getSlotUnit(slotName: string): SlotUnit;
    getUser(): User;
    setOutputSpeech(outputSpeech: OutputSpeech, reprompt?: boolean): void;
    setSimpleSpeech(speechInfo: SpeechInfoObject, reprompt?: boolean): this;
    setSpeechList(speechInfo: SpeechInfoObject[], reprompt?: boolean): this;
    setSpeechSet(
      speechInfoBrief: SpeechInfoObject,
      speechInfoVerbose: OutputSpeechVerbose,
      reprompt?: boolean,
    ): this;
    getSessionAttributes(): object;
    setSessionAttributes(sessionAttributes: object): void;
    setReprompt(outputSpeech: OutputSpeech): void;
  }

  /** An Express middleware, typed structurally so cekit does not depend on Express. */
  type Middleware = (req: any, res: any, next: (error?: unknown) => void) => void;

  namespace audioPlayer {
    interface Progress<N extends string> {
      namespace: 'AudioPlayer';
      name: N;
      payload: { offsetInMilliseconds: number; token: string };
    }
    type PlayFinished = Progress<'PlayFinished'>;
    type PlayPaused = Progress<'PlayPaused'>;
    type PlayResumed = Progress<'PlayResumed'>;
    type PlayStarted = Progress<'PlayStarted'>;
    type PlayStopped = Progress<'PlayStopped'>;
    type ProgressReportDelayPassed = Progress<'ProgressReportDelayPassed'>;
    type ProgressReportIntervalPassed = Progress<'ProgressReportIntervalPassed'>;
    type ProgressReportPositionPassed = Progress<'ProgressReportPositionPassed'>;
    interface StreamRequested {
      namespace: 'AudioPlayer';
      name: 'StreamRequested';
      payload: any;
    }
  }

  namespace clovaSkill {
    interface SkillEnabled {
      namespace: 'ClovaSkill';
      name: 'SkillEnabled';
      payload: null;
    }
    interface SkillDisabled {
      namespace: 'ClovaSkill';
      name: 'SkillDisabled';
      payload: null;
    }
  }
}
