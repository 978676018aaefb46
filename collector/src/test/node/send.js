'use strict';
// Sends traces, metrics and logs with the OpenTelemetry JS SDK to tskotel's OTLP receivers over
// gRPC (gzip), HTTP/JSON and HTTP/protobuf, then prints on stdout, as JSON, what it sent.
// Usage: node send.js <grpcPort> <httpPort>     (run by NodeSdkExportTest)

const { trace, context, SpanKind, SpanStatusCode, diag, DiagConsoleLogger, DiagLogLevel } = require('@opentelemetry/api');
const { SeverityNumber } = require('@opentelemetry/api-logs');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { BasicTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { MeterProvider, PeriodicExportingMetricReader, AggregationType } = require('@opentelemetry/sdk-metrics');
const { LoggerProvider, SimpleLogRecordProcessor } = require('@opentelemetry/sdk-logs');
const { failures, checked } = require('./checked');

const [grpcPort, httpPort] = process.argv.slice(2);
if (!grpcPort || !httpPort) {
  console.error('usage: node send.js <grpcPort> <httpPort>');
  process.exit(2);
}
diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);

const grpcUrl = `http://127.0.0.1:${grpcPort}`;
const httpUrl = (path) => `http://127.0.0.1:${httpPort}${path}`;

const variants = [
  {
    label: 'node-grpc',
    traces: () => new (require('@opentelemetry/exporter-trace-otlp-grpc').OTLPTraceExporter)({ url: grpcUrl, compression: 'gzip' }),
    metrics: () => new (require('@opentelemetry/exporter-metrics-otlp-grpc').OTLPMetricExporter)({ url: grpcUrl, compression: 'gzip' }),
    logs: () => new (require('@opentelemetry/exporter-logs-otlp-grpc').OTLPLogExporter)({ url: grpcUrl, compression: 'gzip' }),
  },
  {
    label: 'node-http-json',
    traces: () => new (require('@opentelemetry/exporter-trace-otlp-http').OTLPTraceExporter)({ url: httpUrl('/v1/traces') }),
    metrics: () => new (require('@opentelemetry/exporter-metrics-otlp-http').OTLPMetricExporter)({ url: httpUrl('/v1/metrics') }),
    logs: () => new (require('@opentelemetry/exporter-logs-otlp-http').OTLPLogExporter)({ url: httpUrl('/v1/logs'), compression: 'gzip' }),
  },
  {
    label: 'node-http-proto',
    traces: () => new (require('@opentelemetry/exporter-trace-otlp-proto').OTLPTraceExporter)({ url: httpUrl('/v1/traces') }),
    metrics: () => new (require('@opentelemetry/exporter-metrics-otlp-proto').OTLPMetricExporter)({ url: httpUrl('/v1/metrics') }),
    logs: () => new (require('@opentelemetry/exporter-logs-otlp-proto').OTLPLogExporter)({ url: httpUrl('/v1/logs') }),
  },
];

const ns = ([sec, nanos]) => (BigInt(sec) * 1000000000n + BigInt(nanos)).toString();

async function send(variant) {
  const resource = resourceFromAttributes({ 'service.name': 'node-sdk-test', 'test.label': variant.label });
  const sent = { label: variant.label, spans: [], logs: [] };

  const tracerProvider = new BasicTracerProvider({
    resource,
    spanProcessors: [new SimpleSpanProcessor(checked(variant.traces(), `${variant.label} traces`))],
  });
  const tracer = tracerProvider.getTracer('node-receiver-test', '4.5.6');
  const parentAttributes = { 'http.route': '/node', 'retries': 7, 'ratio': 0.25, 'cached': false, 'tags': ['x', 'y'] };
  const parentStart = [1700000100, 123456789];
  const parentEnd = [1700000101, 987654321];
  const parent = tracer.startSpan('node parent', { kind: SpanKind.SERVER, attributes: parentAttributes, startTime: parentStart });
  const eventTime = [1700000100, 500000001];
  parent.addEvent('node.event', { 'event.key': 'v' }, eventTime);
  const childStart = [1700000100, 600000002];
  const childEnd = [1700000100, 700000003];
  const child = tracer.startSpan(
    'node child',
    { kind: SpanKind.CLIENT, startTime: childStart, attributes: { 'db.system': 'clickhouse' } },
    trace.setSpan(context.active(), parent),
  );
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'node failure' });
  child.end(childEnd);
  parent.end(parentEnd);
  const p = parent.spanContext();
  const c = child.spanContext();
  sent.spans.push({
    traceId: p.traceId, spanId: p.spanId, parentSpanId: '', name: 'node parent', kind: 2,
    startTimeUnixNano: ns(parentStart), endTimeUnixNano: ns(parentEnd), attributes: parentAttributes,
    events: [{ name: 'node.event', timeUnixNano: ns(eventTime), attributes: { 'event.key': 'v' } }],
    status: { code: 0, message: '' },
  });
  sent.spans.push({
    traceId: c.traceId, spanId: c.spanId, parentSpanId: p.spanId, name: 'node child', kind: 3,
    startTimeUnixNano: ns(childStart), endTimeUnixNano: ns(childEnd), attributes: { 'db.system': 'clickhouse' },
    events: [], status: { code: 2, message: 'node failure' },
  });

  const meterProvider = new MeterProvider({
    resource,
    readers: [new PeriodicExportingMetricReader({
      exporter: checked(variant.metrics(), `${variant.label} metrics`),
      exportIntervalMillis: 3600000,
    })],
    views: [{ instrumentName: 'node.payload', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = meterProvider.getMeter('node-receiver-test', '4.5.6');
  const requests = meter.createCounter('node.requests', { unit: '{request}', description: 'Requests served' });
  requests.add(3, { route: '/a' });
  requests.add(4, { route: '/b' });
  meter.createGauge('node.temperature', { unit: 'Cel' }).record(21.5, { core: 1 });
  const latency = meter.createHistogram('node.latency', { unit: 'ms' });
  for (const v of [5, 50, 500]) latency.record(v);
  const payload = meter.createHistogram('node.payload', { unit: 'By' });
  for (const v of [0, 1, 2, 4, 1024]) payload.record(v);

  const loggerProvider = new LoggerProvider({
    resource,
    processors: [new SimpleLogRecordProcessor({ exporter: checked(variant.logs(), `${variant.label} logs`) })],
  });
  const logTime = [1700000100, 323456789];
  const observed = [1700000100, 423456789];
  loggerProvider.getLogger('node-receiver-test', '4.5.6').emit({
    timestamp: logTime,
    observedTimestamp: observed,
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: `node says hi via ${variant.label}`,
    attributes: { 'order.id': 'n-1', attempt: 2 },
    context: trace.setSpan(context.active(), parent),
  });
  sent.logs.push({
    body: `node says hi via ${variant.label}`, timeUnixNano: ns(logTime), observedTimeUnixNano: ns(observed),
    severityNumber: 13, severityText: 'WARN', attributes: { 'order.id': 'n-1', attempt: 2 },
    traceId: p.traceId, spanId: p.spanId,
  });

  await tracerProvider.forceFlush();
  await meterProvider.forceFlush();
  await loggerProvider.forceFlush();
  await tracerProvider.shutdown();
  await loggerProvider.shutdown();
  // Metrics last: shutting down exports them once more, which the test tolerates.
  await meterProvider.shutdown();
  return sent;
}

(async () => {
  const sent = [];
  for (const variant of variants) {
    sent.push(await send(variant));
  }
  process.stdout.write(JSON.stringify({ variants: sent, failures }) + '\n');
  process.exit(failures.length === 0 ? 0 : 1);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
