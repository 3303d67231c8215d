import { createEndpoint, type Endpoint, type EndpointOptions } from '../core/endpoint.js';
import type { DispatchContext, Dispatcher } from '../core/dispatcher.js';
import { RejectionError } from '../core/errors.js';
import { consoleLogger, type Logger } from '../core/logger.js';
import { formatIssue } from '../schema/index.js';
import { allowedActions, typeAllows } from './allowed-actions.js';
import { HomeError, type HomeErrorName } from './errors.js';
import {
  homeMessage,
  validateHomeMessage,
  type ApplianceInfo,
  type HomeMessage,
  type HomeMessageName,
  type HomePayload,
} from './messages.js';
import { findOutOfRange, type Range } from './ranges.js';

type ActionOf<N> = N extends `${infer A}Request` ? A : never;
/** The 87 control/query actions (spec clova-home-extension.md §4.3), e.g. `'TurnOn'`, `'GetHumidity'`. */
export type HomeActionName = Exclude<ActionOf<HomeMessageName>, 'DiscoverAppliances' | 'DiscoverScenes'>;
/** The success reply of an action: `…Confirmation` for control, `…Response` for queries (§1). */
export type ReplyNameOf<A extends HomeActionName> = Extract<
  HomeMessageName,
  `${A}Confirmation` | `${A}Response`
>;
export type RequestPayloadOf<A extends HomeActionName> = HomePayload<`${A}Request` & HomeMessageName>;
export type ReplyPayloadOf<A extends HomeActionName> = HomePayload<ReplyNameOf<A>>;

/** One device, as the developer describes it; discovery (§3, §6.1) is built from this. */
export interface Appliance {
  id: string;
  /** A type from spec §6.2 (`LIGHT`, `AIRCONDITIONER`, …); decides the allowed actions. */
  type: string;
  name: string;
  manufacturer: string;
  model: string;
  /** Location code (§6.6), e.g. `LIVING_ROOM`. */
  location?: string;
  description?: string;
  version?: string;
  /** Default true. An unreachable appliance answers `TargetOfflineError` (§5). */
  reachable?: boolean;
  /** Actions the device really supports (§2); default: every action its type allows. */
  actions?: readonly string[];
  /** Bounds for request values, by payload field: `{ targetTemperature: { min: 18, max: 30 } }`. */
  ranges?: Readonly<Record<string, Range>>;
  /** Modes accepted by SetMode/ReleaseMode; another mode answers `UnsupportedOperationError` (§2). */
  modes?: readonly string[];
  /** Echoed back by CLOVA in requests (§6.1 additionalApplianceDetails). */
  details?: Record<string, unknown>;
  tags?: readonly string[];
  isIr?: boolean;
}

/** What an action handler receives. */
export interface HomeActionContext<A extends HomeActionName, U> {
  readonly action: A;
  readonly appliance: Appliance;
  readonly user: U;
  /** The request payload (typed per action); contains the access token: never log it. */
  readonly request: RequestPayloadOf<A>;
  readonly signal: AbortSignal;
}

export type HomeActionHandler<A extends HomeActionName, U> = (
  context: HomeActionContext<A, U>,
) => ReplyPayloadOf<A> | void | Promise<ReplyPayloadOf<A> | void>;

/** One handler per action name; also the shape of a per-appliance-type driver. */
export type HomeActionHandlers<U> = { [A in HomeActionName]?: HomeActionHandler<A, U> };

/** The user behind an access token and the appliances they own. */
export interface HomeAccount<U> {
  user: U;
  appliances: readonly Appliance[];
}

export interface HomeExtensionOptions<U> extends Omit<EndpointOptions, 'dispatcher'> {
  /**
   * Resolves `payload.accessToken` (spec §4.2). Return `undefined` for an unknown or revoked token
   * (`InvalidAccessTokenError`); throw `new HomeError('ExpiredAccessTokenError')` for an expired one.
   */
  authenticate(accessToken: string): HomeAccount<U> | undefined | Promise<HomeAccount<U> | undefined>;
  /** Handlers by action name; they win over drivers. */
  actions?: HomeActionHandlers<U>;
  /** Handlers by appliance type (§6.2), e.g. `{ LIGHT: lightDriver }`. */
  drivers?: Readonly<Record<string, HomeActionHandlers<U>>>;
  /** Scenes for `DiscoverScenesRequest` (JP only, §3). Default none. */
  scenes?: (user: U) => HomePayload<'DiscoverScenesResponse'>['discoveredScenes'];
  /** Check every reply against the generated schemas (a bad reply becomes `DriverInternalError`, never sent). Default on, in production too (about 2 µs per request). */
  validateReplies?: boolean;
}

type AnyHandler = (context: HomeActionContext<HomeActionName, unknown>) => unknown;
type Request = HomeMessage & { payload: { accessToken: string; appliance?: { applianceId: string } } };

/**
 * Creates a Clova Home extension: a core `Dispatcher` for `home` messages that also owns a verified
 * endpoint, so `serve(home)` works, and `createEndpoint({ dispatcher: [customApp, home] })` serves both kinds.
 */
export function createHomeExtension<U = unknown>(options: HomeExtensionOptions<U>): HomeExtension<U> {
  return new HomeExtension(options);
}

export class HomeExtension<U = unknown> implements Dispatcher {
  readonly kinds = ['home'] as const;
  private builtEndpoint: Endpoint | undefined;
  private readonly logger: Logger;
  private readonly validateReplies: boolean;

  constructor(private readonly options: HomeExtensionOptions<U>) {
    this.logger = options.logger ?? consoleLogger();
    this.validateReplies = options.validateReplies ?? true;
  }

  /** The verified endpoint serving this extension, created on first use. */
  get endpoint(): Endpoint {
    this.builtEndpoint ??= createEndpoint({ ...this.options, logger: this.logger, dispatcher: this });
    return this.builtEndpoint;
  }

  /** Refuses anything that is not a valid Clova Home request before user code runs (400 INVALID_MESSAGE). */
  validate(message: Record<string, unknown>): void {
    const issues = validateHomeMessage(message);
    const name = (message.header as { name?: unknown } | undefined)?.name;
    if (issues.length === 0 && typeof name === 'string' && !name.endsWith('Request')) {
      issues.push({ code: 'invalid_value', path: ['header', 'name'], message: `"${name}" is not a request` });
    }
    if (issues.length > 0) throw new RejectionError('INVALID_MESSAGE', issues.map(formatIssue).join('; '));
  }

  describe(message: Record<string, unknown>): Record<string, unknown> {
    const payload = message.payload as { appliance?: { applianceId?: unknown } } | undefined;
    return {
      name: (message.header as { name?: unknown } | undefined)?.name,
      applianceId: payload?.appliance?.applianceId,
    };
  }

  /**
   * Answers synchronously when the token hook and the handler do (no promise per request on the hot
   * path); otherwise returns a promise. Errors become `…Error` replies, never exceptions.
   */
  dispatch(message: Record<string, unknown>, context: DispatchContext): HomeMessage | Promise<HomeMessage> {
    const request = message as unknown as Request;
    try {
      const reply = this.answer(request, context);
      return isPromise(reply)
        ? reply.then(
            (value) => this.checked(value, request),
            (error: unknown) => this.failed(error, request),
          )
        : this.checked(reply, request);
    } catch (error) {
      return this.failed(error, request);
    }
  }

  private checked(reply: HomeMessage, request: Request): HomeMessage {
    if (this.validateReplies) {
      const issues = validateHomeMessage(reply);
      if (issues.length > 0) {
        return this.failed(
          new Error(`invalid reply ${reply.header.name}: ${issues.map(formatIssue).join('; ')}`),
          request,
        );
      }
    }
    return reply;
  }

  private failed(error: unknown, request: Request): HomeMessage {
    if (error instanceof HomeError)
      return homeMessage(error.errorName as HomeErrorName, error.payload as never);
    // Never the access token: only the message name, the target and the error text.
    this.logger.error('Clova Home handler failed; answering DriverInternalError', {
      name: request.header.name,
      applianceId: request.payload.appliance?.applianceId,
      error: error instanceof Error ? error.message : String(error),
    });
    return homeMessage('DriverInternalError', {});
  }

  /** Spec §5: an internal failure is reported as `DriverInternalError` (HTTP 200), never a 5xx. */
  fallback(): HomeMessage {
    return homeMessage('DriverInternalError', {});
  }

  private answer(request: Request, context: DispatchContext): HomeMessage | Promise<HomeMessage> {
    const token = request.payload.accessToken;
    const account = token ? this.options.authenticate(token) : undefined;
    return isPromise(account)
      ? account.then((resolved) => this.route(request, resolved, context))
      : this.route(request, account, context);
  }

  private route(
    request: Request,
    account: HomeAccount<U> | undefined,
    context: DispatchContext,
  ): HomeMessage | Promise<HomeMessage> {
    const { name } = request.header;
    if (!account) return homeMessage('InvalidAccessTokenError', {});

    if (name === 'DiscoverAppliancesRequest') {
      return homeMessage('DiscoverAppliancesResponse', {
        discoveredAppliances: account.appliances.map(toApplianceInfo),
      });
    }
    if (name === 'DiscoverScenesRequest') {
      return homeMessage('DiscoverScenesResponse', {
        discoveredScenes: this.options.scenes?.(account.user) ?? [],
      });
    }

    const action = name.slice(0, -'Request'.length) as HomeActionName;
    const applianceId = request.payload.appliance?.applianceId;
    const appliance = account.appliances.find((candidate) => candidate.id === applianceId);
    if (!appliance) return homeMessage('NoSuchTargetError', {});
    if (!typeAllows(appliance.type, action) || (appliance.actions && !appliance.actions.includes(action))) {
      return homeMessage('UnsupportedOperationError', {});
    }
    if (appliance.reachable === false) {
      // §5: offline devices answer TargetOfflineError; a health check reports it instead.
      if (action === 'HealthCheck')
        return homeMessage('HealthCheckResponse', { isReachable: false, isTurnOn: false });
      return homeMessage('TargetOfflineError', {});
    }
    const payload = request.payload as unknown as Record<string, unknown>;
    const range = findOutOfRange(payload, appliance.ranges);
    if (range)
      return homeMessage('ValueOutOfRangeError', { minimumValue: range.min, maximumValue: range.max });
    if (appliance.modes && (action === 'SetMode' || action === 'ReleaseMode')) {
      const mode = payload.mode as { value?: unknown } | string;
      const value = typeof mode === 'string' ? mode : mode.value;
      if (typeof value !== 'string' || !appliance.modes.includes(value)) {
        return homeMessage('UnsupportedOperationError', {});
      }
    }

    const handler = (this.options.actions?.[action] ?? this.options.drivers?.[appliance.type]?.[action]) as
      AnyHandler | undefined;
    if (!handler) {
      // §4.4 HealthCheck answered automatically: a registered, reachable device is reachable.
      if (action === 'HealthCheck')
        return homeMessage('HealthCheckResponse', { isReachable: true, isTurnOn: false });
      return homeMessage('UnsupportedOperationError', {});
    }
    const result = handler({
      action,
      appliance,
      user: account.user,
      request: payload as never,
      // Lazy: an AbortController per request costs about as much as the routing itself.
      get signal() {
        return context.signal;
      },
    });
    const replyName = (
      action.startsWith('Get') || action === 'HealthCheck' ? `${action}Response` : `${action}Confirmation`
    ) as HomeMessageName;
    return isPromise(result)
      ? result.then((value) => homeMessage(replyName, (value ?? {}) as never))
      : homeMessage(replyName, (result ?? {}) as never);
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

function toApplianceInfo(appliance: Appliance): ApplianceInfo {
  // §6.1: discovery must fill every field except additionalApplianceDetails.
  return {
    applianceId: appliance.id,
    applianceTypes: [appliance.type],
    // Appliance.actions takes plain strings (devices often come from data); reply validation catches a
    // name that is not an action of §4.3.
    actions: [...(appliance.actions ?? allowedActions(appliance.type))] as HomeActionName[],
    friendlyName: appliance.name,
    friendlyDescription: appliance.description ?? appliance.name,
    isIr: appliance.isIr ?? false,
    isReachable: appliance.reachable ?? true,
    manufacturerName: appliance.manufacturer,
    modelName: appliance.model,
    version: appliance.version ?? '1.0',
    location: appliance.location ?? '',
    tags: [...(appliance.tags ?? [])],
    ...(appliance.details ? { additionalApplianceDetails: appliance.details } : {}),
  };
}
