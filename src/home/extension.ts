/**
 * The Clova Home framework: `HomeExtension` validates a request, resolves its access token and routes it
 * to discovery, a scene or the appliance's handler, turning every failure into a `…Error` reply (§5).
 */

import { createEndpoint, type Endpoint, type EndpointOptions } from '../core/endpoint.js';
import type { DispatchContext, Dispatcher } from '../core/dispatcher.js';
import { RejectionError } from '../core/errors.js';
import { publishFallback, publishHandlerError } from '../core/diagnostics.js';
import { describeError, resolveLogger, type Logger } from '../core/logger.js';
import { formatIssue } from '../schema/index.js';
import { normaliseRequest } from './accept-both.js';
import { anyTypeAllows } from './allowed-actions.js';
import type { HomeAccount } from './appliance.js';
import { defaultActions, discoverAppliances, type DefaultActions } from './discovery.js';
import { HomeError, type HomeErrorName } from './errors.js';
import { HandlerTable, type HomeActionHandlers, type HomeDrivers } from './handlers.js';
import { isPromiseLike } from '../core/maybe-promise.js';
import { homeMessage, validateHomeMessage, type HomeMessage } from './messages.js';
import { replyNameOf, type ApplianceActionName, type RequestPayloadOf } from './names.js';
import { findOutOfRange } from './ranges.js';
import {
  actionScene,
  discoverScenes,
  type HomeScene,
  type HomeSceneContext,
  type SceneList,
} from './scenes.js';
import { HomeWarnings } from './warnings.js';

export interface HomeExtensionOptions<U> extends Omit<EndpointOptions, 'dispatcher'> {
  /**
   * Resolves `payload.accessToken` (spec §4.2). Return `undefined` for an unknown or revoked token
   * (`InvalidAccessTokenError`); throw `new HomeError('ExpiredAccessTokenError')` for an expired one.
   */
  authenticate(accessToken: string): HomeAccount<U> | undefined | Promise<HomeAccount<U> | undefined>;
  /** Handlers by action name; they win over drivers. */
  actions?: HomeActionHandlers<U>;
  /** Handlers by appliance type (§6.2), e.g. `{ LIGHT: lightDriver }`. */
  drivers?: HomeDrivers<U>;
  /** The user's scenes, for `DiscoverScenesRequest` and to find the target of `ActionSceneRequest` (JP, §3). Default none. */
  scenes?: (user: U) => readonly HomeScene[] | Promise<readonly HomeScene[]>;
  /**
   * Runs a scene (`ActionSceneRequest`, JP §4.4.4); answers `ActionSceneConfirmation`. A `sceneId` that
   * `scenes(user)` does not list answers `NoSuchTargetError` before this runs.
   */
  actionScene?: (context: HomeSceneContext<U>) => void | Promise<void>;
  /** Check every reply against the generated schemas (a bad reply becomes `DriverInternalError`, never sent). Default on, in production too (about 2 µs per request). */
  validateReplies?: boolean;
}

/** A validated request: the fields routing and failure logs read. */
type Request = HomeMessage & {
  payload: { accessToken: string; appliance?: { applianceId: string }; scene?: { sceneId: string } };
};

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
  private readonly handlers: HandlerTable;
  private readonly defaultActions: DefaultActions;
  private readonly warnings: HomeWarnings;

  constructor(private readonly options: HomeExtensionOptions<U>) {
    this.logger = resolveLogger(options.logger, options.redact);
    this.validateReplies = options.validateReplies ?? true;
    this.handlers = new HandlerTable(options.actions, options.drivers);
    this.defaultActions = defaultActions(this.handlers);
    this.warnings = new HomeWarnings(this.logger);
    this.warnings.checkOptions(this.handlers, options);
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
    const payload = message.payload as
      { appliance?: { applianceId?: unknown }; scene?: { sceneId?: unknown } } | undefined;
    return {
      name: (message.header as { name?: unknown } | undefined)?.name,
      applianceId: payload?.appliance?.applianceId,
      ...(payload?.scene ? { sceneId: payload.scene.sceneId } : {}),
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
      return isPromiseLike(reply)
        ? reply.then(
            (value) => this.checkedReply(value, request),
            (error: unknown) => this.failed(error, request),
          )
        : this.checkedReply(reply, request);
    } catch (error) {
      return this.failed(error, request);
    }
  }

  private checkedReply(reply: HomeMessage, request: Request): HomeMessage {
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
    // Never the access token: only the message name, the target and the error with its stack.
    const summary = () => this.describe(request as unknown as Record<string, unknown>);
    this.logger.error('Clova Home handler failed; answering DriverInternalError', {
      ...summary(),
      ...describeError(error, { stack: true }),
    });
    publishHandlerError(request, 'home', summary, error);
    publishFallback(request, 'home', summary, 'error');
    return homeMessage('DriverInternalError', {});
  }

  /** Spec §5: an internal failure is reported as `DriverInternalError` (HTTP 200), never a 5xx. */
  fallback(): HomeMessage {
    return homeMessage('DriverInternalError', {});
  }

  private answer(request: Request, context: DispatchContext): HomeMessage | Promise<HomeMessage> {
    const token = request.payload.accessToken;
    const account = token ? this.options.authenticate(token) : undefined;
    return isPromiseLike(account)
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
      this.warnings.checkAccount(account, this.handlers);
      return discoverAppliances(account, this.defaultActions);
    }
    if (name === 'DiscoverScenesRequest') return discoverScenes(this.scenesOf(account.user));
    if (name === 'ActionSceneRequest') {
      const payload = request.payload as unknown as RequestPayloadOf<'ActionScene'>;
      const scenes = this.scenesOf(account.user);
      return actionScene(scenes, this.options.actionScene, account.user, payload, context);
    }

    const action = name.slice(0, -'Request'.length) as ApplianceActionName;
    const applianceId = request.payload.appliance?.applianceId;
    const appliance = account.appliances.find((candidate) => candidate.id === applianceId);
    if (!appliance) return homeMessage('NoSuchTargetError', {});
    const types = appliance.type as string | readonly string[];
    if (!anyTypeAllows(types, action) || (appliance.actions && !appliance.actions.includes(action))) {
      return homeMessage('UnsupportedOperationError', {});
    }
    if (appliance.reachable === false) {
      // §5: offline devices answer TargetOfflineError; a health check reports it instead.
      if (action === 'HealthCheck')
        return homeMessage('HealthCheckResponse', { isReachable: false, isTurnOn: false });
      return homeMessage('TargetOfflineError', {});
    }
    // "Accept both" (§4.4 notes): the handler and the checks below see the documented form only.
    const payload = normaliseRequest(action, request.payload as unknown as Record<string, unknown>);
    const range = findOutOfRange(payload, appliance.ranges);
    if (range)
      return homeMessage('ValueOutOfRangeError', { minimumValue: range.min, maximumValue: range.max });
    if (appliance.modes && (action === 'SetMode' || action === 'ReleaseMode')) {
      const value = (payload.mode as { value?: unknown }).value;
      if (typeof value !== 'string' || !appliance.modes.includes(value)) {
        return homeMessage('UnsupportedOperationError', {});
      }
    }

    const handler = this.handlers.find(types, action);
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
    const replyName = replyNameOf(action);
    // A handler's thenable may not be a real Promise: wrap it, as the Custom framework does.
    return isPromiseLike(result)
      ? Promise.resolve(result).then((value) => homeMessage(replyName, (value ?? {}) as never))
      : homeMessage(replyName, (result ?? {}) as never);
  }

  /** The `scenes` option's list for this user; none without the option. */
  private scenesOf(user: U): SceneList {
    return this.options.scenes?.(user) ?? [];
  }
}
