import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createEndpoint,
  createExtension,
  DIAGNOSTICS_CHANNELS,
  silentLogger,
  type Dispatcher,
  type Endpoint,
} from 'cekit';
import { createHomeExtension } from 'cekit/home';
import {
  buildHomeControlRequest,
  buildIntentRequest,
  buildLaunchRequest,
  generateTestKeyPair,
} from 'cekit/testing';
import { instrumentCekit } from '../../examples/opentelemetry/instrument.js';

const keys = generateTestKeyPair();
const EXTENSION_ID = 'com.example.diagnostics';
const TOKEN = 'secret-access-token-31c9';

type Event = Record<string, unknown> & { channel: string };

/** Records every event of every cekit channel, in order, until `stop()`. */
function listen() {
  const events: Event[] = [];
  const listeners = Object.values(DIAGNOSTICS_CHANNELS).map((channel) => {
    const listener = (message: unknown) => void events.push({ channel, ...(message as object) });
    subscribe(channel, listener);
    return [channel, listener] as const;
  });
  stops.push(() => listeners.forEach(([channel, listener]) => unsubscribe(channel, listener)));
  return events;
}
const stops: (() => void)[] = [];
afterEach(() => {
  stops.splice(0).forEach((stop) => stop());
});

async function send(app: { endpoint: Endpoint }, message: unknown, signature?: string) {
  const body = JSON.stringify(message);
  return app.endpoint.handle({
    method: 'POST',
    headers: { 'content-type': 'application/json', signaturecek: signature ?? keys.sign(body) },
    body: Buffer.from(body),
  });
}

function dice() {
  const app = createExtension({
    extensionId: EXTENSION_ID,
    verify: keys.verifyOptions,
    logger: silentLogger,
    responseBudgetMs: 100,
  });
  app.launch((ctx) => ctx.ask('How many dice?'));
  app.intent('Roll', () => {
    throw new Error('the dice fell off the table');
  });
  app.intent('Slow', () => new Promise(() => {}));
  return app;
}

const launch = () => buildLaunchRequest({ extensionId: EXTENSION_ID, accessToken: TOKEN });
const intent = (name: string) =>
  buildIntentRequest(name, {}, { extensionId: EXTENSION_ID, accessToken: TOKEN });
const channels = (events: Event[]) => events.map((event) => event.channel.replace(/^cekit:/, ''));

describe('diagnostics_channel events', () => {
  it('names its channels under cekit:', () => {
    expect(DIAGNOSTICS_CHANNELS).toEqual({
      received: 'cekit:request:received',
      rejected: 'cekit:request:rejected',
      dispatched: 'cekit:request:dispatched',
      answered: 'cekit:request:answered',
      handlerError: 'cekit:handler:error',
      fallback: 'cekit:fallback',
    });
  });

  it('an answered request: received, dispatched, answered, one request id, documented fields', async () => {
    const events = listen();
    await send(dice(), launch());
    expect(channels(events)).toEqual(['request:received', 'request:dispatched', 'request:answered']);
    const [received, dispatched, answered] = events;
    expect(new Set(events.map((event) => event.requestId)).size).toBe(1);
    expect(received).toEqual({
      channel: DIAGNOSTICS_CHANNELS.received,
      requestId: expect.any(Number) as unknown,
      receivedAt: expect.any(Number) as unknown,
      method: 'POST',
      bodyBytes: expect.any(Number) as unknown,
    });
    expect(dispatched).toMatchObject({ kind: 'custom', summary: { type: 'LaunchRequest' } });
    expect(dispatched!.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(answered).toMatchObject({ kind: 'custom', summary: { type: 'LaunchRequest' }, status: 200 });
    expect(answered!.durationMs).toBeGreaterThanOrEqual(dispatched!.elapsedMs as number);
    expect(JSON.stringify(events)).not.toContain(TOKEN);
  });

  it('a forged request: received, then rejected with its code; nothing dispatched', async () => {
    const events = listen();
    const answer = await send(dice(), launch(), keys.sign('something else'));
    expect(answer.status).toBe(403);
    expect(channels(events)).toEqual(['request:received', 'request:rejected']);
    expect(events[1]).toMatchObject({
      requestId: events[0]!.requestId,
      status: 403,
      code: 'SIGNATURE_INVALID',
      kind: undefined,
      summary: {},
    });
  });

  it('a failing handler: handler error with the error itself, the error fallback, then the answer', async () => {
    const events = listen();
    await send(dice(), intent('Roll'));
    expect(channels(events)).toEqual([
      'request:received',
      'request:dispatched',
      'handler:error',
      'fallback',
      'request:answered',
    ]);
    const ids = new Set(events.map((event) => event.requestId));
    expect(ids.size).toBe(1);
    expect(events[2]).toMatchObject({ kind: 'custom', summary: { type: 'IntentRequest', intent: 'Roll' } });
    expect((events[2]!.error as Error).message).toBe('the dice fell off the table');
    expect(events[3]).toMatchObject({ reason: 'error', builtin: false });
  });

  it('a timeout and an unhandled intent are fallbacks too', async () => {
    const events = listen();
    const app = dice();
    await send(app, intent('Slow'));
    await send(app, intent('Unknown'));
    expect(events.filter((event) => event.channel === DIAGNOSTICS_CHANNELS.fallback)).toMatchObject([
      { reason: 'timeout', summary: { intent: 'Slow' } },
      { reason: 'unhandled', summary: { intent: 'Unknown' } },
    ]);
  });

  it('Clova Home: a failing driver, and never the access token', async () => {
    const events = listen();
    const home = createHomeExtension({
      verify: keys.verifyOptions,
      logger: silentLogger,
      authenticate: () => ({
        user: {},
        appliances: [{ id: 'light-1', type: 'LIGHT', name: 'Light', manufacturer: 'm', model: 'x' }],
      }),
      actions: {
        TurnOn: () => {
          throw new Error('device cloud down');
        },
      },
    });
    await send(home, buildHomeControlRequest('TurnOn', 'light-1', {}, { accessToken: TOKEN }));
    expect(channels(events)).toEqual([
      'request:received',
      'request:dispatched',
      'handler:error',
      'fallback',
      'request:answered',
    ]);
    expect(events[1]).toMatchObject({
      kind: 'home',
      summary: { name: 'TurnOnRequest', applianceId: 'light-1' },
    });
    expect(JSON.stringify(events)).not.toContain(TOKEN);
  });

  it('builds nothing when nobody listens (and no request log is asked for)', async () => {
    const describe = vi.fn(() => ({ type: 'LaunchRequest' }));
    const dispatcher: Dispatcher = {
      kinds: ['custom'],
      describe,
      dispatch: () => ({
        version: '1.0',
        sessionAttributes: {},
        response: { outputSpeech: {}, card: {}, directives: [], shouldEndSession: true },
      }),
    };
    const endpoint = createEndpoint({
      extensionId: EXTENSION_ID,
      verify: keys.verifyOptions,
      logger: silentLogger,
      requestLog: false,
      dispatcher,
    });
    await send({ endpoint }, launch());
    expect(describe).not.toHaveBeenCalled();
    const events = listen();
    await send({ endpoint }, launch());
    expect(describe).toHaveBeenCalled();
    expect(channels(events)).toContain('request:answered');
  });
});

describe('the OpenTelemetry recipe (examples/opentelemetry)', () => {
  it('turns real signed requests into spans and metrics', async () => {
    const spanExporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(spanExporter)],
    });
    const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({
      exporter: metricExporter,
      exportIntervalMillis: 60_000,
    });
    const meterProvider = new MeterProvider({ readers: [reader] });
    const stop = instrumentCekit({
      tracer: tracerProvider.getTracer('cekit-test'),
      meter: meterProvider.getMeter('cekit-test'),
    });
    stops.push(stop);
    expect(trace.getTracerProvider()).toBeDefined(); // the recipe's defaults are the global providers
    expect(metrics.getMeterProvider()).toBeDefined();

    const app = dice();
    expect((await send(app, launch())).status).toBe(200);
    expect((await send(app, intent('Roll'))).status).toBe(200);
    expect((await send(app, launch(), keys.sign('forged'))).status).toBe(403);

    const spans = spanExporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(['LaunchRequest', 'IntentRequest Roll', 'cekit request']);
    const [ok, failed, forged] = spans;
    expect(ok!.attributes).toMatchObject({
      'cekit.kind': 'custom',
      'cekit.request.type': 'LaunchRequest',
      'http.response.status_code': 200,
    });
    expect(ok!.status.code).toBe(0); // UNSET
    expect(failed!.attributes).toMatchObject({ 'cekit.intent': 'Roll', 'cekit.fallback': 'error' });
    expect(failed!.status).toEqual({ code: 2, message: 'the dice fell off the table' }); // ERROR
    expect(failed!.events.map((event) => event.name)).toEqual(['exception']);
    expect(forged!.attributes).toMatchObject({
      'http.response.status_code': 403,
      'cekit.rejection.code': 'SIGNATURE_INVALID',
    });
    for (const span of spans) expect(span.duration[0] * 1e3 + span.duration[1] / 1e6).toBeGreaterThan(0);

    await reader.forceFlush();
    const scope = metricExporter.getMetrics().at(-1)!.scopeMetrics[0]!;
    const counter = scope.metrics.find((metric) => metric.descriptor.name === 'cekit.requests')!;
    const counts = counter.dataPoints.map((point) => [
      point.attributes['cekit.request.type'] ?? point.attributes['cekit.rejection.code'],
      point.attributes['http.response.status_code'],
      point.value,
    ]);
    expect(counts).toEqual([
      ['LaunchRequest', 200, 1],
      ['IntentRequest', 200, 1],
      ['SIGNATURE_INVALID', 403, 1],
    ]);
    const histogram = scope.metrics.find((metric) => metric.descriptor.name === 'cekit.request.duration')!;
    expect(histogram.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(histogram.descriptor.unit).toBe('ms');
    expect(histogram.dataPoints.map((point) => (point.value as { count: number }).count)).toEqual([1, 1, 1]);

    await tracerProvider.shutdown();
    await meterProvider.shutdown();
  });
});
