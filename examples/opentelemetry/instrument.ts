/**
 * cekit requests as OpenTelemetry spans and metrics, from the events cekit publishes on
 * `node:diagnostics_channel`. Copy this file into your project; it needs only `@opentelemetry/api`
 * (your SDK set-up, e.g. `@opentelemetry/sdk-node`, provides the tracer and meter).
 *
 *   const stop = instrumentCekit(); // before the first request; stop() unsubscribes
 *
 * One span per request (`SERVER`, named after the intent or Clova Home message once the request is
 * verified) with the kind, request type, intent or event, HTTP status and refusal code; status ERROR
 * and the exception recorded when a handler fails. Two metrics: `cekit.requests` (a counter by kind,
 * status and refusal code) and `cekit.request.duration` (a histogram in milliseconds).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  metrics,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Meter,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import {
  DIAGNOSTICS_CHANNELS,
  type FallbackEvent,
  type HandlerErrorEvent,
  type MessageKind,
  type RequestAnsweredEvent,
  type RequestDispatchedEvent,
  type RequestReceivedEvent,
  type RequestRejectedEvent,
  type RequestSummary,
} from 'cekit';

export interface InstrumentOptions {
  /** Default: `trace.getTracer('cekit')` from the global tracer provider. */
  tracer?: Tracer;
  /** Default: `metrics.getMeter('cekit')` from the global meter provider. */
  meter?: Meter;
}

/** Subscribes to cekit's channels; returns the function that unsubscribes. */
export function instrumentCekit(options: InstrumentOptions = {}): () => void {
  const tracer = options.tracer ?? trace.getTracer('cekit');
  const meter = options.meter ?? metrics.getMeter('cekit');
  const requests = meter.createCounter('cekit.requests', {
    description: 'CEK requests, by message kind, HTTP status and refusal code',
  });
  const duration = meter.createHistogram('cekit.request.duration', {
    description: 'Time from arrival to answer or refusal',
    unit: 'ms',
  });
  /** The open span of each request in flight, by the request id every event carries. */
  const spans = new Map<number, Span>();
  /** When each of them arrived, as wall-clock milliseconds (the span's start; its end adds durationMs). */
  const started = new Map<number, number>();

  const finish = (requestId: number, durationMs: number, attributes: Attributes) => {
    requests.add(1, attributes);
    duration.record(durationMs, attributes);
    const span = spans.get(requestId);
    if (!span) return; // received before we subscribed
    const start = started.get(requestId)!;
    spans.delete(requestId);
    started.delete(requestId);
    span.setAttributes(attributes);
    // Given explicitly: with a given start time, the SDK would take the end from Date.now(), to the ms.
    span.end(start + durationMs);
  };

  const listeners = {
    [DIAGNOSTICS_CHANNELS.received]: (event: RequestReceivedEvent) => {
      const start = performance.timeOrigin + event.receivedAt;
      const span = tracer.startSpan('cekit request', {
        kind: SpanKind.SERVER,
        startTime: start,
        attributes: { 'http.request.method': event.method },
      });
      spans.set(event.requestId, span);
      started.set(event.requestId, start);
    },
    [DIAGNOSTICS_CHANNELS.dispatched]: (event: RequestDispatchedEvent) => {
      const span = spans.get(event.requestId);
      span?.updateName(spanName(event.summary) ?? `cekit ${event.kind}`);
      span?.setAttributes(describe(event.kind, event.summary));
    },
    [DIAGNOSTICS_CHANNELS.handlerError]: (event: HandlerErrorEvent) => {
      // A handler failing after its timeout answer was sent finds its span already ended.
      const span = event.requestId === undefined ? undefined : spans.get(event.requestId);
      const error = event.error instanceof Error ? event.error : new Error(String(event.error));
      span?.recordException(error);
      span?.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    },
    [DIAGNOSTICS_CHANNELS.fallback]: (event: FallbackEvent) => {
      const span = event.requestId === undefined ? undefined : spans.get(event.requestId);
      span?.setAttribute('cekit.fallback', event.builtin ? `${event.reason} (built-in)` : event.reason);
    },
    [DIAGNOSTICS_CHANNELS.answered]: (event: RequestAnsweredEvent) => {
      finish(event.requestId, event.durationMs, {
        ...describe(event.kind, event.summary),
        'http.response.status_code': event.status,
      });
    },
    [DIAGNOSTICS_CHANNELS.rejected]: (event: RequestRejectedEvent) => {
      finish(event.requestId, event.durationMs, {
        ...describe(event.kind, event.summary),
        'http.response.status_code': event.status,
        'cekit.rejection.code': event.code,
      });
    },
  };

  const entries = Object.entries(listeners) as [string, (event: never) => void][];
  const subscribed = entries.map(([name, listener]) => {
    const onMessage = (message: unknown) => listener(message as never);
    subscribe(name, onMessage);
    return [name, onMessage] as const;
  });
  return () => {
    for (const [name, onMessage] of subscribed) unsubscribe(name, onMessage);
    for (const span of spans.values()) span.end();
    spans.clear();
    started.clear();
  };
}

/** Attributes from the request's summary: few values each, fit for metrics too (no ids). */
function describe(kind: MessageKind | undefined, summary: RequestSummary): Attributes {
  const attributes: Attributes = { 'cekit.kind': kind ?? 'unknown' };
  for (const [field, attribute] of [
    ['type', 'cekit.request.type'],
    ['intent', 'cekit.intent'],
    ['event', 'cekit.event'],
    ['name', 'cekit.home.message'],
  ] as const) {
    const value = summary[field];
    if (typeof value === 'string') attributes[attribute] = value;
  }
  return attributes;
}

/** `IntentRequest OrderPizza`, `LaunchRequest`, `TurnOnRequest`. */
function spanName(summary: RequestSummary): string | undefined {
  const { type, intent, event, name } = summary;
  if (typeof name === 'string') return name;
  if (typeof type !== 'string') return undefined;
  const detail = typeof intent === 'string' ? intent : typeof event === 'string' ? event : undefined;
  return detail ? `${type} ${detail}` : type;
}
