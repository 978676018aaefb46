// tskotel dashboard: charts from GET {charts}?range=, current values and alerts from GET {api}/dashboard,
// the collector's own host from GET {host} (shown in the system section when no app reports cpu/memory/disk).
// Plain script, no build step; uPlot comes from the jar next to it. All text goes in via textContent.
(function () {
  'use strict';

  const body = document.body;
  const api = body.dataset.api;
  const chartsUrl = body.dataset.charts;
  const hostUrl = body.dataset.host;
  const COLORS = ['#2f6fed', '#e8710a', '#1a7f37', '#9334e6'];

  // Which series of the charts response each card draws.
  const SERIES = {
    cpu: [['cpu', 'CPU %']],
    memory: [['memory', 'Memory %']],
    disk: [['disk', 'Disk %']],
    request_rate: [['request_rate', 'req/s']],
    error_rate: [['error_rate', 'errors %']],
    response_time: [['response_time_avg_ms', 'avg ms'], ['response_time_p95_ms', 'p95 ms']],
    active_users: [['active_users', 'users']],
    revenue: [['revenue', 'revenue / step']],
    registrations: [['registrations', 'registrations / step']],
    payment_success_rate: [['payment_success_rate', 'success %']],
  };

  // The value in each card's head: the seed's generate_dashboard_data, as GET {api}/dashboard returns it
  // (null: no data), in the card's unit (data-unit; response time in ms in the tile and the chart alike).
  // [group, key, window, what the chart draws].
  const TILES = {
    cpu: ['system', 'cpu_usage', 'avg 1h', 'gauge avg'],
    memory: ['system', 'memory_usage', 'avg 1h', 'gauge avg'],
    disk: ['system', 'disk_usage', 'avg 1h', 'gauge avg'],
    request_rate: ['application', 'request_rate', 'last minute', 'server spans'],
    error_rate: ['application', 'error_rate', 'last 5 min', 'server spans'],
    response_time: ['application', 'response_time', 'avg 1h', 'server spans'],
    active_users: ['application', 'active_users', 'max 1h', 'gauge max'],
    revenue: ['business', 'revenue_today', 'today', 'increase per step'],
    registrations: ['business', 'user_registrations', 'last 24h', 'increase per step'],
    payment_success_rate: ['business', 'payment_success_rate', 'last 24h', 'payments counter, else gauge'],
  };
  const SYSTEM = { cpu: 'cpu_usage', memory: 'memory_usage', disk: 'disk_usage' };

  const state = {
    range: body.dataset.range || '1h',
    refreshSeconds: Number(body.dataset.refreshSeconds || 5),
    charts: {},
    loads: 0,
    timer: null,
    loading: false,
    lastCharts: null,
    lastDashboard: null,
    lastHost: null,
  };
  // Exposed for people poking at the page and for the browser test.
  window.tskotelDashboard = state;

  const params = new URLSearchParams(location.search);
  if (params.has('range')) state.range = params.get('range');
  if (params.has('refresh')) state.refreshSeconds = Number(params.get('refresh')) || 0;

  const rangeSelect = document.getElementById('range');
  const refreshSelect = document.getElementById('refresh');
  const status = document.getElementById('status');
  selectValue(rangeSelect, state.range, (s) => s);
  selectValue(refreshSelect, String(state.refreshSeconds), (s) => s + ' s');

  rangeSelect.addEventListener('change', () => { state.range = rangeSelect.value; reload(); });
  refreshSelect.addEventListener('change', () => { state.refreshSeconds = Number(refreshSelect.value); schedule(); });
  document.getElementById('reload').addEventListener('click', reload);

  const cards = {};
  document.querySelectorAll('[data-chart]').forEach((card) => {
    const name = card.dataset.chart;
    const head = el('div', 'head');
    head.append(el('span', 'title', card.dataset.title));
    const value = el('span', 'value', '—');
    value.title = '';
    head.append(value);
    const caption = el('figcaption', 'caption');
    const plot = el('div', 'plot');
    const empty = el('div', 'empty');
    empty.hidden = true;
    plot.append(empty);
    card.append(head, plot, caption);
    cards[name] = { card, value, plot, empty };
  });

  window.addEventListener('resize', () => {
    for (const [name, chart] of Object.entries(state.charts)) {
      chart.setSize(size(cards[name].plot));
    }
  });

  reload();

  function reload() {
    clearTimeout(state.timer);
    load().finally(schedule);
  }

  function schedule() {
    clearTimeout(state.timer);
    if (state.refreshSeconds > 0) {
      state.timer = setTimeout(reload, state.refreshSeconds * 1000);
    }
  }

  async function load() {
    if (state.loading) return;
    state.loading = true;
    status.classList.remove('error');
    try {
      // Independent: the charts still draw when the query API fails, and the other way round.
      const [charts, dashboard, host] = await Promise.allSettled([
        getJson(chartsUrl + '?range=' + encodeURIComponent(state.range)),
        getJson(api + '/dashboard'),
        getJson(hostUrl),
      ]);
      const errors = [];
      // The host is a fallback: without it the system section says "no data" where no app reports.
      state.lastHost = host.status === 'fulfilled' ? host.value : null;
      // Read before the charts: a system chart falls back to the host only when no app reports its gauge.
      if (dashboard.status === 'fulfilled') state.lastDashboard = dashboard.value;
      if (charts.status === 'fulfilled') {
        state.lastCharts = charts.value;
        drawCharts(charts.value);
      } else {
        errors.push(charts.reason);
      }
      if (dashboard.status === 'fulfilled') {
        drawTiles(dashboard.value);
        drawSystemSource(dashboard.value);
        drawAlerts(dashboard.value.alerts || []);
      } else {
        errors.push(dashboard.reason);
      }
      state.loads++;
      if (errors.length) {
        status.textContent = errors.map((e) => String(e.message || e)).join('; ');
        status.classList.add('error');
      } else {
        status.textContent = 'updated ' + new Date().toLocaleTimeString();
      }
    } finally {
      state.loading = false;
    }
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    const text = await response.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new Error(url + ': not JSON (HTTP ' + response.status + ')');
    }
    if (!response.ok) {
      throw new Error(url + ': ' + (json.message || json.error || 'HTTP ' + response.status));
    }
    return json;
  }

  function drawCharts(charts) {
    for (const [name, series] of Object.entries(SERIES)) {
      const c = cards[name];
      let xs = charts.timestamps;
      let data = [xs].concat(series.map(([key]) => (charts.series[key] || xs.map(() => null))));
      let points = countPoints(data);
      c.card.dataset.source = 'store';
      // No app reports this system gauge: chart the collector's own host, sampled while the page is open.
      const host = state.lastHost;
      const system = state.lastDashboard && state.lastDashboard.system;
      const appsReport = system && number(system[SYSTEM[name]]) !== null;
      if (points === 0 && SYSTEM[name] && !appsReport && host && host.timestamps && host.timestamps.length) {
        data = [xs, onSteps(charts, host.timestamps, host[name])];
        points = countPoints(data);
        c.card.dataset.source = 'host';
      }
      c.card.dataset.points = String(points);
      c.empty.hidden = points > 0;
      c.empty.replaceChildren(el('span', null, 'No data in the last ' + charts.range));
      let chart = state.charts[name];
      if (!chart) {
        chart = new uPlot(options(name, series, c.plot), data, c.plot);
        state.charts[name] = chart;
      } else {
        chart.setData(data);
      }
    }
  }

  // Samples (times in epoch seconds) averaged into the charts' steps, so that they share the time axis.
  function onSteps(charts, times, values) {
    const sums = charts.timestamps.map(() => 0);
    const counts = charts.timestamps.map(() => 0);
    for (let i = 0; i < times.length; i++) {
      const step = Math.floor((times[i] - charts.from) / charts.step_seconds);
      if (step >= 0 && step < sums.length && values[i] != null) {
        sums[step] += values[i];
        counts[step]++;
      }
    }
    return sums.map((sum, i) => (counts[i] ? sum / counts[i] : null));
  }

  function countPoints(data) {
    return data.slice(1).reduce((n, ys) => n + ys.filter((y) => y !== null && y !== undefined).length, 0);
  }

  // A value with no value on either side has no line to be part of: draw it as a point, so that one step
  // of data (or an isolated one) shows. uPlot calls this per series; null draws no points.
  function isolatedPoints(u, seriesIdx) {
    const ys = u.data[seriesIdx];
    const idxs = [];
    for (let i = 0; i < ys.length; i++) {
      if (ys[i] == null) continue;
      const before = i > 0 ? ys[i - 1] : null;
      const after = i < ys.length - 1 ? ys[i + 1] : null;
      if (before == null && after == null) idxs.push(i);
    }
    return idxs.length ? idxs : null;
  }

  function options(name, series, plot) {
    const unit = cards[name].card.dataset.unit;
    return Object.assign(size(plot), {
      // From 0 (or below, for negative values): a single point or a flat line sits inside the chart, and
      // small changes do not look like big ones.
      scales: { x: { time: true }, y: { range: (u, min, max) => yRange(min, max) } },
      legend: { show: series.length > 1 },
      cursor: { drag: { x: false, y: false } },
      axes: [
        { stroke: '#6b7385', grid: { stroke: '#eef0f4' } },
        { stroke: '#6b7385', grid: { stroke: '#eef0f4' }, size: unit === 'ms' ? 64 : 56,
          values: (u, vals) => vals.map((v) => compact(v) + axisUnit(unit)) },
      ],
      series: [{}].concat(series.map(([, label], i) => ({
        label,
        stroke: COLORS[i % COLORS.length],
        fill: series.length === 1 ? COLORS[i] + '22' : undefined,
        width: 2,
        points: { show: false, size: 7, filter: isolatedPoints },
        value: (u, v) => (v == null ? '—' : format(v)),
      }))),
    });
  }

  function yRange(min, max) {
    if (min == null || max == null) return [0, 1];
    const lo = Math.min(0, min);
    const hi = max > 0 ? max * 1.15 : (max < 0 ? 0 : 1);
    return [lo * 1.15, hi];
  }

  function size(plot) {
    return { width: Math.max(200, plot.clientWidth || plot.parentElement.clientWidth - 24), height: 170 };
  }

  function drawTiles(dashboard) {
    const host = state.lastHost;
    for (const [name, [group, key, period, chartFrom]] of Object.entries(TILES)) {
      const c = cards[name];
      let v = number(dashboard[group] && dashboard[group][key]);
      // What the value is: "<window> from <source>", e.g. "avg 1h from server spans".
      let now = period;
      let source = sourceText(dashboard[group] && dashboard[group][key + '_source']);
      let chartText = chartFrom;
      if (SYSTEM[name]) {
        source = v === null ? '' : 'apps';
        if (v === null && host && number(host[key]) !== null) {
          v = number(host[key]);
          source = 'collector host ' + host.host;
          now = 'latest';
        }
        if (c.card.dataset.source === 'host') chartText = 'collector host, sampled while open';
      }
      c.value.replaceChildren();
      c.value.classList.toggle('novalue', v === null);
      c.value.textContent = v === null ? 'no data' : format(v);
      const unit = c.card.dataset.unit;
      if (v !== null && unit) c.value.append(el('small', null, unit));
      c.value.title = source;
      c.card.dataset.tileSource = source;
      c.card.querySelector('figcaption').textContent =
          'now: ' + now + (source ? ' from ' + source : '') + ' · chart: ' + chartText + ', ' + state.range;
    }
  }

  // The API says where an application value came from: "spans" or "metric:<name>".
  function sourceText(source) {
    if (typeof source !== 'string' || !source) return '';
    if (source === 'spans') return 'server spans';
    if (source.startsWith('metric:')) return 'metric ' + source.slice('metric:'.length);
    return source;
  }

  // Whose CPU, memory and disk the system section shows: the services (and hosts) that reported them in the
  // last hour, or this collector's host when none did.
  function drawSystemSource(dashboard) {
    const line = document.getElementById('system-source');
    const reporters = (dashboard.system && dashboard.system.reporters) || [];
    const byReporter = new Map();
    for (const r of reporters) {
      const who = String(r.service || 'unknown service') + (r.host ? ' on ' + r.host : '');
      if (!byReporter.has(who)) byReporter.set(who, []);
      byReporter.get(who).push(String(r.metric));
    }
    const parts = [...byReporter].map(([who, metrics]) => metrics.join(', ') + ' from ' + who);
    const missing = Object.values(SYSTEM).filter((m) => dashboard.system && dashboard.system[m] == null);
    const host = state.lastHost;
    let text = parts.length ? 'Reported by ' + parts.join('; ') + '. ' : '';
    if (missing.length) {
      text += (parts.length ? missing.join(', ') + ': no app reports it' : 'No app reports cpu, memory or disk use')
          + (host ? '; showing this collector\'s host ' + host.host + ' (disk of ' + host.disk_path
              + '), sampled while this page is open.' : '.');
    }
    line.textContent = text;
    line.dataset.reporters = String(reporters.length);
  }

  function drawAlerts(alerts) {
    const tbody = document.querySelector('#alerts tbody');
    tbody.replaceChildren();
    if (alerts.length === 0) {
      const row = el('tr', 'empty');
      const cell = el('td', null, 'No alerts.');
      cell.colSpan = 5;
      row.append(cell);
      tbody.append(row);
      return;
    }
    for (const a of alerts) {
      const row = el('tr');
      const severity = String(a.severity || '');
      // The transition the row records: pending, firing, resolved, inactive (a pending breach that ended).
      const stateName = String(a.state || 'firing');
      row.append(
        el('td', null, time(a.timestamp)),
        el('td', 'state state-' + stateName.toLowerCase().replace(/[^a-z]/g, ''), stateName),
        el('td', 'sev sev-' + severity.toLowerCase().replace(/[^a-z]/g, ''), severity),
        el('td', null, String(a.type || '')),
        el('td', null, String(a.message || '')));
      tbody.append(row);
    }
  }

  // Values arrive as the seed shapes them: a number, a one-element list (get_metrics) or {value: n}.
  function number(v) {
    if (Array.isArray(v)) return v.length ? number(v[0]) : null;
    if (v && typeof v === 'object' && 'value' in v) return number(v.value);
    if (typeof v === 'number' && isFinite(v)) return v;
    if (typeof v === 'string' && v.trim() !== '' && isFinite(Number(v))) return Number(v);
    return null;
  }

  function time(t) {
    let d;
    if (typeof t === 'number') d = new Date(t < 1e12 ? t * 1000 : t);
    else d = new Date(String(t));
    return isNaN(d.getTime()) ? String(t ?? '') : d.toLocaleString();
  }

  function format(v) {
    if (v === null || v === undefined) return '—';
    const a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(1) + 'G';
    if (a >= 1e6) return (v / 1e6).toFixed(1) + 'M';
    if (a >= 1e4) return (v / 1e3).toFixed(1) + 'k';
    if (a >= 100 || Number.isInteger(v)) return String(Math.round(v));
    return v.toFixed(a >= 10 ? 1 : 2);
  }

  // The unit on the value axis: the tile's, so that the two never disagree.
  function axisUnit(unit) {
    if (unit === '%') return '%';
    if (unit === 'ms') return ' ms';
    return '';
  }

  // Axis labels: short enough for the axis.
  function compact(v) {
    if (v === null || v === undefined) return '';
    const a = Math.abs(v);
    if (a >= 1e9) return +(v / 1e9).toFixed(1) + 'G';
    if (a >= 1e6) return +(v / 1e6).toFixed(1) + 'M';
    if (a >= 1e3) return +(v / 1e3).toFixed(1) + 'k';
    return String(+v.toFixed(a >= 100 ? 0 : a >= 1 ? 1 : 3));
  }

  function selectValue(select, value, label) {
    if (![...select.options].some((o) => o.value === value)) {
      select.append(new Option(label(value), value));
    }
    select.value = value;
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
})();
