/**
 * The dice extension with OpenTelemetry: a short conversation and a forged request, then the spans
 * and metrics they produced, printed by the SDK's console exporters.
 *
 *   npx tsx examples/opentelemetry/main.ts
 *
 * In production, set up the SDK your way (`@opentelemetry/sdk-node` with an OTLP exporter) and call
 * `instrumentCekit()` once before serving.
 */
import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  ConsoleMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { silentLogger } from 'cekit';
import { createConversation, generateTestKeyPair } from 'cekit/testing';
import { createDiceExtension } from '../dice/extension.js';
import { instrumentCekit } from './instrument.js';

const tracerProvider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())],
});
const reader = new PeriodicExportingMetricReader({
  exporter: new ConsoleMetricExporter({ temporalitySelector: () => AggregationTemporality.CUMULATIVE }),
  exportIntervalMillis: 60_000,
});
const meterProvider = new MeterProvider({ readers: [reader] });
trace.setGlobalTracerProvider(tracerProvider);
metrics.setGlobalMeterProvider(meterProvider);
const stop = instrumentCekit();

const keys = generateTestKeyPair();
const app = createDiceExtension({ verify: keys.verifyOptions, logger: silentLogger, language: 'en' });
const cek = createConversation({ target: app, keys, extensionId: 'com.example.dice', locale: 'en-US' });
await cek.launch();
await cek.intent('ThrowDiceIntent', { diceCount: '2' });
// A forged request: refused with 403 SIGNATURE_INVALID, a span with its code and a count in the metric.
await app.endpoint.handle({
  method: 'POST',
  headers: { 'content-type': 'application/json', signaturecek: keys.sign('{"something":"else"}') },
  body: new TextEncoder().encode('{"request":{"type":"LaunchRequest"}}'),
});

await reader.forceFlush();
stop();
await tracerProvider.shutdown();
await meterProvider.shutdown();
