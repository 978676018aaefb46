'use strict';
// Sends, with the OpenTelemetry JS SDK over OTLP/HTTP (protobuf), what the explorer pages are tested with:
// a trace with nested spans (one failing with an exception event, one linking to a second trace) and a
// log carrying its trace id and a unique token; then prints on stdout, as JSON, what it sent.
//   node send-trace.js <httpPort> <token>              (run by ExplorerBrowserTest)
//   node send-trace.js <httpPort> <token> --log-only   (one more log, for the live tail)

const { trace, context, SpanKind, SpanStatusCode, diag, DiagConsoleLogger, DiagLogLevel } = require('@opentelemetry/api');
const { SeverityNumber } = require('@opentelemetry/api-logs');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { BasicTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { LoggerProvider, SimpleLogRecordProcessor } = require('@opentelemetry/sdk-logs');
const { failures, checked } = require('./checked');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-proto');

const [httpPort, token, mode] = process.argv.slice(2);
if (!httpPort || !token) {
  console.error('usage: node send-trace.js <httpPort> <token> [--log-only]');
  process.exit(2);
}
diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);
const url = (path) => `http://127.0.0.1:${httpPort}${path}`;
const SERVICE = 'explorer-e2e';

/** [seconds, nanos] at t0 + ms, so the spans nest at known offsets. */
const at = (t0, ms) => [Math.floor((t0 + ms) / 1000), Math.round(((t0 + ms) % 1000) * 1e6)];

async function main() {
  const resource = resourceFromAttributes({ 'service.name': SERVICE, 'service.version': '1.2.3', 'host.name': 'e2e-host' });
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [new SimpleLogRecordProcessor({ exporter: checked(new OTLPLogExporter({ url: url('/v1/logs') }), 'logs') })],
  });
  const logger = loggerProvider.getLogger('explorer-test', '1.0.0');

  if (mode === '--log-only') {
    const body = `tail sees ${token}`;
    logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body, attributes: { 'tail.token': token } });
    await loggerProvider.forceFlush();
    await loggerProvider.shutdown();
    return { body };
  }

  const tracerProvider = new BasicTracerProvider({
    resource,
    // One request per span as it ends: the trace reaches the store in pieces, as a distributed one does.
    spanProcessors: [new SimpleSpanProcessor(checked(new OTLPTraceExporter({ url: url('/v1/traces') }), 'traces'))],
  });
  const tracer = tracerProvider.getTracer('explorer-test', '1.0.0');
  // A moment ago, so the pages' default "last hour" holds it.
  const t0 = Date.now() - 5000;

  // The trace the checkout links to: a batch job of its own.
  const batch = tracer.startSpan('nightly batch', { kind: SpanKind.INTERNAL, startTime: at(t0, -3000) });
  batch.end(at(t0, -2500));

  const root = tracer.startSpan('GET /checkout/{id}', {
    kind: SpanKind.SERVER,
    startTime: at(t0, 0),
    attributes: { 'http.route': '/checkout/{id}', 'http.request.method': 'GET', 'order.id': token },
  });
  const rootCtx = trace.setSpan(context.active(), root);
  const reserve = tracer.startSpan('reserve stock', { kind: SpanKind.INTERNAL, startTime: at(t0, 10) }, rootCtx);
  const reserveCtx = trace.setSpan(context.active(), reserve);
  const select = tracer.startSpan('SELECT stock', {
    kind: SpanKind.CLIENT,
    startTime: at(t0, 15),
    attributes: { 'db.system': 'clickhouse', 'db.statement': 'SELECT qty FROM stock WHERE sku = ?' },
  }, reserveCtx);
  select.addEvent('exception', {
    'exception.type': 'DeadlockError',
    'exception.message': `deadlock on <stock> for ${token}`,
  }, at(t0, 30));
  select.setStatus({ code: SpanStatusCode.ERROR, message: 'deadlock' });
  select.end(at(t0, 45));
  logger.emit({
    timestamp: at(t0, 50),
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: `stock reserved after retry for order ${token}`,
    attributes: { 'order.id': token },
    context: reserveCtx,
  });
  reserve.end(at(t0, 70));
  const charge = tracer.startSpan('charge card', {
    kind: SpanKind.CLIENT,
    startTime: at(t0, 75),
    links: [{ context: batch.spanContext(), attributes: { 'link.reason': 'settles the batch' } }],
  }, rootCtx);
  charge.end(at(t0, 115));
  root.end(at(t0, 120));

  await tracerProvider.forceFlush();
  await loggerProvider.forceFlush();
  await tracerProvider.shutdown();
  await loggerProvider.shutdown();
  const id = (s) => s.spanContext().spanId;
  return {
    token,
    service: SERVICE,
    traceId: root.spanContext().traceId,
    linkedTraceId: batch.spanContext().traceId,
    // Tree order: parent before children, siblings by start.
    spans: [
      { spanId: id(root), parentSpanId: '', name: 'GET /checkout/{id}', depth: 0 },
      { spanId: id(reserve), parentSpanId: id(root), name: 'reserve stock', depth: 1 },
      { spanId: id(select), parentSpanId: id(reserve), name: 'SELECT stock', depth: 2, error: true },
      { spanId: id(charge), parentSpanId: id(root), name: 'charge card', depth: 1 },
    ],
    log: { body: `stock reserved after retry for order ${token}`, spanId: id(reserve), severity: 'WARN' },
  };
}

main().then((sent) => {
  if (failures.length) {
    console.error(failures.join('\n'));
    process.exit(1);
  }
  process.stdout.write(JSON.stringify(sent) + '\n');
}, (e) => {
  console.error(e && e.stack || e);
  process.exit(1);
});
