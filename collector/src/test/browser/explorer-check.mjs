// Walks the trace and log explorer in Debian's chromium (headless, driven by playwright-core) the way a
// person would, for the telemetry node/send-trace.js sent, and prints what it saw as JSON on stdout;
// ExplorerBrowserTest asserts on it. Usage:
//   node explorer-check.mjs <dashboard url> <sent.json> <screenshot dir> <otlp http port>
import { launch } from './chromium.mjs';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dashboard, sentFile, shots, httpPort] = process.argv.slice(2);
if (!dashboard || !sentFile || !shots || !httpPort) {
  console.error('usage: node explorer-check.mjs <dashboard url> <sent.json> <screenshot dir> <otlp http port>');
  process.exit(2);
}
const sent = JSON.parse(readFileSync(sentFile, 'utf8'));
const basePath = new URL(dashboard).pathname;
const origin = new URL(dashboard).origin;
// Console errors by step: a step that provokes an API error expects exactly the browser's own report of it.
const result = { consoleErrors: [], pageErrors: [], failedRequests: [], foreignRequests: [], steps: [] };
let step = 'start';

const { context, close } = await launch();
const rowsOf = (page, selector) => page.$$eval(selector, (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent.trim())));
try {
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') result.consoleErrors.push(step + ': ' + m.text()); });
  page.on('pageerror', (e) => result.pageErrors.push(step + ': ' + String(e)));
  page.on('requestfailed', (r) => result.failedRequests.push(step + ': ' + r.url() + ' ' + (r.failure()?.errorText ?? '')));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('data:') && new URL(u).origin !== origin) result.foreignRequests.push(u);
  });
  const loaded = (name, n) => page.waitForFunction(([name, n]) => window[name] && window[name].loads >= n,
    [name, n], { timeout: 30000 });

  // 1. The search: the service's traces, newest first, each row a link to its trace.
  step = 'search';
  await page.goto(dashboard + '/traces?service=' + encodeURIComponent(sent.service), { waitUntil: 'load' });
  await loaded('tskotelTraces', 1);
  result.search = {
    rows: await page.$$eval('#results tbody tr', (rows) => rows.map((r) => ({
      traceId: r.dataset.traceId || '', cells: [...r.querySelectorAll('td')].map((td) => td.textContent.trim()),
      href: r.querySelector('a')?.getAttribute('href') ?? '',
    }))),
    serviceInput: await page.inputValue('#search [name=service]'),
    scatterDots: await page.$$eval('#scatter circle', (c) => c.length),
    status: await page.textContent('#search-status'),
  };
  result.steps.push('search');

  // 2. The form: name and "errors only" go into the URL; Back restores the previous search.
  step = 'form';
  await page.fill('#search [name=name]', 'SELECT stock');
  await page.check('#search [name=error]');
  await page.fill('#search [name=minDuration]', '20ms');
  await page.click('#search button[type=submit]');
  await page.waitForFunction(() => location.search.includes('error=true') && window.tskotelTraces.loads >= 2);
  await loaded('tskotelTraces', 2);
  result.filtered = {
    url: await page.evaluate(() => location.pathname + location.search),
    traceIds: await page.$$eval('#results tbody tr[data-trace-id]', (rows) => rows.map((r) => r.dataset.traceId)),
  };
  await page.goBack();
  await loaded('tskotelTraces', 3);
  result.back = {
    url: await page.evaluate(() => location.pathname + location.search),
    nameInput: await page.inputValue('#search [name=name]'),
    traceIds: await page.$$eval('#results tbody tr[data-trace-id]', (rows) => rows.map((r) => r.dataset.traceId)),
  };
  result.steps.push('form and back');

  // 3. Nothing found, said so.
  step = 'empty';
  await page.fill('#search [name=service]', 'no-such-service-' + Date.now());
  await page.click('#search button[type=submit]');
  await loaded('tskotelTraces', 4);
  result.empty = await page.textContent('#results tbody');
  result.steps.push('empty');

  // 4. An API error, shown from its {"error": …} (the browser itself reports the 400 on the console).
  step = 'api-error';
  await page.goto(dashboard + '/traces?minDurationMs=-1', { waitUntil: 'load' });
  await loaded('tskotelTraces', 1);
  result.apiError = { status: await page.textContent('#search-status'),
    isError: await page.$eval('#search-status', (s) => s.classList.contains('error')) };
  result.steps.push('api error');

  // 5. The trace: a row of the search opens its waterfall.
  step = 'trace';
  await page.goto(dashboard + '/traces?service=' + encodeURIComponent(sent.service), { waitUntil: 'load' });
  await loaded('tskotelTraces', 1);
  await Promise.all([
    page.waitForURL((u) => u.pathname === basePath + '/traces/' + sent.traceId),
    page.click(`#results tbody tr[data-trace-id="${sent.traceId}"] td:first-child`),
  ]);
  await loaded('tskotelTraces', 1);
  await page.waitForSelector('.wf-span');
  result.trace = {
    url: page.url(),
    title: await page.textContent('#trace-title'),
    status: await page.textContent('#trace-status'),
    spans: await page.$$eval('.wf-span', (rows) => rows.map((r) => ({
      spanId: r.dataset.spanId, parentSpanId: r.dataset.parentSpanId, depth: Number(r.dataset.depth),
      status: r.dataset.status, name: r.querySelector('.op').textContent, errorMark: !!r.querySelector('.err-mark'),
      indent: parseFloat(r.querySelector('.wf-name').style.paddingLeft),
      barLeft: parseFloat(r.querySelector('.wf-bar').style.left), barWidth: parseFloat(r.querySelector('.wf-bar').style.width),
    }))),
    logs: await page.$$eval('#trace-logs tbody tr', (rows) => rows.map((r) => ({
      cells: [...r.querySelectorAll('td')].map((td) => td.textContent.trim()),
      spanId: r.dataset.spanId, explorer: r.querySelector('a.log-link')?.getAttribute('href') ?? '',
    }))),
  };
  await page.fill('#find', 'clickhouse');
  result.trace.find = { count: await page.textContent('#find-count'),
    matches: await page.$$eval('.wf-span.match', (rows) => rows.map((r) => r.dataset.spanId)) };
  await page.fill('#find', '');
  result.steps.push('trace');

  // 6. A span's details: attributes, events, links; the markup in an attribute stays text.
  step = 'span';
  const failing = sent.spans.find((s) => s.error);
  await page.click(`.wf-span[data-span-id="${failing.spanId}"]`);
  await page.waitForSelector(`.wf-detail[data-span-id="${failing.spanId}"]`);
  result.failingDetail = {
    text: await page.textContent('.wf-detail'),
    url: await page.evaluate(() => location.search),
    markup: await page.$$eval('.wf-detail b, .wf-detail stock', (e) => e.length),
  };
  await page.screenshot({ path: join(shots, 'trace.png'), fullPage: true });
  const linking = sent.spans.find((s) => s.name === 'charge card');
  await page.click(`.wf-span[data-span-id="${linking.spanId}"]`);
  await page.waitForSelector(`.wf-detail[data-span-id="${linking.spanId}"] a.span-link`);
  await Promise.all([
    page.waitForURL((u) => u.pathname === basePath + '/traces/' + sent.linkedTraceId),
    page.click(`.wf-detail[data-span-id="${linking.spanId}"] a.span-link`),
  ]);
  await loaded('tskotelTraces', 1);
  await page.waitForSelector('.wf-span');
  result.linked = {
    spans: await page.$$eval('.wf-span .op', (ops) => ops.map((o) => o.textContent)),
    selected: await page.$$eval('.wf-span.selected', (rows) => rows.map((r) => r.dataset.spanId)),
  };
  result.steps.push('span details and link');

  // 7. From the trace's log to the log explorer, filtered to the trace.
  step = 'trace-logs';
  await page.goto(dashboard + '/traces/' + sent.traceId, { waitUntil: 'load' });
  await loaded('tskotelTraces', 1);
  await Promise.all([
    page.waitForURL((u) => u.pathname === basePath + '/logs'),
    page.click('#trace-logs a.log-link'),
  ]);
  await loaded('tskotelLogs', 1);
  result.traceLogs = {
    url: page.url(),
    traceIdInput: await page.inputValue('#search [name=traceId]'),
    rows: await rowsOf(page, '#logs tbody tr.log'),
  };
  result.steps.push('trace logs');

  // 8. The log search finds the log by a token of its body; its trace link opens the trace.
  step = 'logs';
  await page.goto(dashboard + '/logs?q=' + encodeURIComponent(sent.token), { waitUntil: 'load' });
  await loaded('tskotelLogs', 1);
  result.logs = {
    rows: await page.$$eval('#logs tbody tr.log', (rows) => rows.map((r) => ({
      cells: [...r.querySelectorAll('td')].map((td) => td.textContent.trim()),
      severityClass: r.querySelector('.sevbadge').className,
      marked: [...r.querySelectorAll('mark')].map((m) => m.textContent),
      traceHref: r.querySelector('a.trace-link')?.getAttribute('href') ?? '',
    }))),
  };
  await page.click('#logs tbody tr.log td.body');
  result.logs.detail = await page.textContent('#logs tbody tr.detail');
  await page.screenshot({ path: join(shots, 'logs.png'), fullPage: true });
  await Promise.all([
    page.waitForURL((u) => u.pathname === basePath + '/traces/' + sent.traceId),
    page.click('#logs tbody tr.log a.trace-link'),
  ]);
  await loaded('tskotelTraces', 1);
  await page.waitForSelector('.wf-span.selected');
  result.logToTrace = {
    spans: await page.$$eval('.wf-span', (rows) => rows.length),
    selected: await page.$$eval('.wf-span.selected', (rows) => rows.map((r) => r.dataset.spanId)),
  };
  result.steps.push('logs');

  // 9. Live tail: a log sent while the page watches appears without a reload.
  step = 'tail';
  const tailToken = 'tail' + sent.token;
  await page.goto(dashboard + '/logs?live=1&q=' + encodeURIComponent(tailToken), { waitUntil: 'load' });
  await loaded('tskotelLogs', 1);
  result.tail = { before: await page.textContent('#logs tbody'), live: await page.isChecked('#live') };
  execFileSync('node', ['send-trace.js', httpPort, tailToken, '--log-only'], { cwd: '../node', timeout: 60000 });
  await page.waitForFunction((t) => window.tskotelLogs.items.some((l) => String(l.body).includes(t)),
    tailToken, { timeout: 30000 });
  result.tail.rows = await rowsOf(page, '#logs tbody tr.log');
  result.tail.polls = await page.evaluate(() => window.tskotelLogs.polls);
  await page.uncheck('#live');
  result.tail.url = await page.evaluate(() => location.search);
  result.steps.push('tail');
  step = 'done';
} catch (e) {
  result.error = step + ': ' + String(e && e.stack || e);
} finally {
  await close();
}
process.stdout.write(JSON.stringify(result) + '\n');
