// Loads the dashboard in Debian's chromium (headless, driven by playwright-core) and prints what a person
// would see as JSON on stdout; DashboardBrowserTest asserts on it. Usage:
//   node dashboard-check.mjs <page url> <screenshot.png>
import { launch } from './chromium.mjs';

const [url, screenshot] = process.argv.slice(2);
if (!url || !screenshot) {
  console.error('usage: node dashboard-check.mjs <page url> <screenshot.png>');
  process.exit(2);
}
const origin = new URL(url).origin;
const result = { consoleErrors: [], pageErrors: [], failedRequests: [], foreignRequests: [], steps: [] };

const { context, close } = await launch();
try {
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') result.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => result.pageErrors.push(String(e)));
  page.on('requestfailed', (r) => result.failedRequests.push(r.url() + ' ' + (r.failure()?.errorText ?? '')));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('data:') && new URL(u).origin !== origin) result.foreignRequests.push(u);
  });

  await page.goto(url + (url.includes('?') ? '&' : '?') + 'refresh=1', { waitUntil: 'load' });
  result.refreshAttribute = await page.getAttribute('body', 'data-refresh-seconds');
  await page.waitForFunction(() => window.tskotelDashboard && window.tskotelDashboard.loads >= 1,
    null, { timeout: 30000 });
  result.steps.push('loaded');
  // Auto-refresh (1 s through ?refresh=1): a second load must follow by itself.
  await page.waitForFunction(() => window.tskotelDashboard.loads >= 2, null, { timeout: 15000 });
  result.steps.push('auto-refreshed');

  // The range picker: switching to 6 hours reloads the charts for that range.
  await page.selectOption('#range', '6h');
  await page.waitForFunction(() => window.tskotelDashboard.lastCharts
    && window.tskotelDashboard.lastCharts.range === '6h', null, { timeout: 15000 });
  result.steps.push('range 6h');
  result.range6h = await page.evaluate(() => ({
    stepSeconds: window.tskotelDashboard.lastCharts.step_seconds,
    points: window.tskotelDashboard.lastCharts.timestamps.length,
  }));
  await page.selectOption('#range', '1h');
  await page.waitForFunction(() => window.tskotelDashboard.lastCharts.range === '1h', null, { timeout: 15000 });
  await page.selectOption('#refresh', '0');

  result.status = await page.textContent('#status');
  result.cards = await page.$$eval('[data-chart]', (cards) => Object.fromEntries(cards.map((c) => [
    c.dataset.chart,
    {
      points: Number(c.dataset.points || 0),
      value: c.querySelector('.value')?.textContent ?? '',
      noData: c.querySelector('.value')?.classList.contains('novalue') ?? false,
      source: c.dataset.source ?? '',
      tileSource: c.dataset.tileSource ?? '',
      caption: c.querySelector('figcaption')?.textContent ?? '',
      empty: c.querySelector('.empty:not([hidden])')?.textContent ?? null,
      canvas: !!c.querySelector('canvas'),
      // Pixels in the first series' colour (#2f6fed): what was actually drawn, line or point.
      drawn: (() => {
        const canvas = c.querySelector('canvas');
        if (!canvas) return 0;
        const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i + 3] > 200 && Math.abs(d[i] - 47) < 30 && Math.abs(d[i + 1] - 111) < 30
              && Math.abs(d[i + 2] - 237) < 30) n++;
        }
        return n;
      })(),
    },
  ])));
  result.systemSource = await page.evaluate(() => document.getElementById('system-source')?.textContent ?? null);
  result.series = await page.evaluate(() => window.tskotelDashboard.lastCharts.series);
  result.timestamps = await page.evaluate(() => window.tskotelDashboard.lastCharts.timestamps);
  result.alerts = await page.$$eval('#alerts tbody tr', (rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
  result.scripts = await page.$$eval('script', (s) => s.map((e) => e.getAttribute('src')));
  result.stylesheets = await page.$$eval('link[rel=stylesheet]', (s) => s.map((e) => e.getAttribute('href')));
  await page.screenshot({ path: screenshot, fullPage: true });
  result.steps.push('screenshot');
} catch (e) {
  result.error = String(e && e.stack || e);
} finally {
  await close();
}
process.stdout.write(JSON.stringify(result) + '\n');
