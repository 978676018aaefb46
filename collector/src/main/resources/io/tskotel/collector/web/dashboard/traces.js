// tskotel trace explorer: the search (GET {api}/traces) and a trace's waterfall (GET {api}/traces/{id}).
// The search lives in the query string (shareable, Back works); a trace is {base}/traces/{id} or ?trace=.
(function () {
  'use strict';

  const X = window.tskotelExplorer;
  const { el, link } = X;
  const LIMIT = 20;
  const SEARCH_KEY = 'tskotel.traces.search';

  // Exposed for people poking at the page and for the browser test.
  const state = { loads: 0, lastResult: null, lastTrace: null, lastError: null, seq: 0 };
  window.tskotelTraces = state;

  const searchView = document.getElementById('search-view');
  const traceView = document.getElementById('trace-view');
  const form = document.getElementById('search');
  const status = document.getElementById('search-status');
  const tbody = document.querySelector('#results tbody');
  const prev = document.getElementById('prev');
  const next = document.getElementById('next');
  const pageInfo = document.getElementById('page-info');
  const services = new Set();
  const syncRange = X.wireRange(form);

  document.getElementById('lookup').addEventListener('submit', (e) => {
    e.preventDefault();
    const id = document.getElementById('lookup-id').value.trim().toLowerCase();
    if (!X.TRACE_ID.test(id)) {
      const where = traceView.hidden ? status : document.getElementById('trace-status');
      X.setStatus(where, 'trace id: "' + id + '" (expected: 32 hex characters)', true);
      return;
    }
    location.assign(X.traceHref(id));
  });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = X.orStatus(status, readForm);
    if (q) navigate(q, true);
  });
  document.getElementById('reset').addEventListener('click', () => navigate(defaults(), true));
  prev.addEventListener('click', () => navigate(Object.assign(current(), { offset: Math.max(0, current().offset - LIMIT) }), true));
  next.addEventListener('click', () => navigate(Object.assign(current(), { offset: current().offset + LIMIT }), true));
  window.addEventListener('popstate', route);
  document.getElementById('find').addEventListener('input', find);
  route();

  function route() {
    const id = traceIdFromUrl();
    if (id !== null) {
      searchView.hidden = true;
      traceView.hidden = false;
      showTrace(id);
    } else {
      traceView.hidden = true;
      searchView.hidden = false;
      const q = fromUrl(new URLSearchParams(location.search));
      fill(q);
      search(q);
    }
  }

  function traceIdFromUrl() {
    const prefix = X.base + '/traces/';
    if (location.pathname.startsWith(prefix)) {
      return decodeURIComponent(location.pathname.slice(prefix.length)).toLowerCase();
    }
    const p = new URLSearchParams(location.search);
    return p.has('trace') ? String(p.get('trace')).trim().toLowerCase() : null;
  }

  // ---- search ----

  function defaults() {
    return { service: '', name: '', error: false, minDurationMs: '', attrs: [], range: '1h', from: '', to: '',
      sort: 'newest', offset: 0 };
  }

  function current() {
    return fromUrl(new URLSearchParams(location.search));
  }

  function fromUrl(p) {
    const q = defaults();
    q.service = p.get('service') || '';
    q.name = p.get('name') || '';
    q.error = p.get('error') === 'true';
    q.minDurationMs = p.get('minDurationMs') || '';
    Object.assign(q, X.filtersFromParams(p));
    q.sort = p.get('sort') === 'slowest' ? 'slowest' : 'newest';
    q.offset = Math.max(0, parseInt(p.get('offset') || '0', 10) || 0);
    return q;
  }

  function toUrl(q) {
    const p = new URLSearchParams();
    if (q.service) p.set('service', q.service);
    if (q.name) p.set('name', q.name);
    if (q.error) p.set('error', 'true');
    if (q.minDurationMs !== '') p.set('minDurationMs', q.minDurationMs);
    X.filtersToParams(q, p);
    if (q.sort !== 'newest') p.set('sort', q.sort);
    if (q.offset > 0) p.set('offset', String(q.offset));
    return p;
  }

  function fill(q) {
    const f = form.elements;
    f.service.value = q.service;
    f.name.value = q.name;
    f.error.checked = q.error;
    f.minDuration.value = q.minDurationMs === '' ? '' : q.minDurationMs + 'ms';
    X.fillFilters(form, q);
    syncRange();
    f.sort.value = q.sort;
  }

  function readForm() {
    const f = form.elements;
    const q = defaults();
    q.service = f.service.value.trim();
    q.name = f.name.value.trim();
    q.error = f.error.checked;
    const min = f.minDuration.value.trim();
    if (min !== '') {
      const ms = X.parseDuration(min);
      if (isNaN(ms)) throw new Error('min duration: "' + min + '" (expected: e.g. 250ms, 1.5s, 2m)');
      q.minDurationMs = String(ms);
    }
    X.readFilters(form, q);
    q.sort = f.sort.value;
    return q;
  }

  function navigate(q, push) {
    const p = toUrl(q);
    const url = X.base + '/traces' + (p.toString() ? '?' + p.toString() : '');
    if (push && url !== location.pathname + location.search) history.pushState(null, '', url);
    fill(q);
    search(q);
  }

  async function search(q) {
    const seq = ++state.seq;
    const w = X.orStatus(status, () => X.window(q));
    if (!w) return;
    sessionStorage.setItem(SEARCH_KEY, location.search);
    const p = new URLSearchParams();
    if (q.service) p.set('service', q.service);
    if (q.name) p.set('name', q.name);
    if (q.error) p.set('error', 'true');
    if (q.minDurationMs !== '') p.set('minDurationMs', q.minDurationMs);
    q.attrs.forEach((a) => p.append('attr', a));
    p.set('from', String(Math.floor(w.from)));
    p.set('to', String(Math.ceil(w.to)));
    p.set('sort', q.sort);
    p.set('limit', String(LIMIT));
    p.set('offset', String(q.offset));
    X.setStatus(status, 'searching…');
    try {
      const result = await X.getJson('/traces', p);
      if (seq !== state.seq) return;
      state.lastResult = result;
      state.lastError = null;
      render(q, w, result);
      X.setStatus(status, '');
    } catch (err) {
      if (seq !== state.seq) return;
      state.lastError = err.message;
      tbody.replaceChildren();
      X.emptyRow(tbody, 8, 'The search failed.');
      document.getElementById('scatter').hidden = true;
      X.setStatus(status, err.message, true);
    } finally {
      if (seq === state.seq) state.loads++;
    }
  }

  function render(q, w, result) {
    const items = result.items || [];
    tbody.replaceChildren();
    if (items.length === 0) {
      X.emptyRow(tbody, 8, q.offset > 0 ? 'No more traces.' : 'No traces in this range'
        + (q.service || q.name || q.error || q.minDurationMs || q.attrs.length ? ' match these filters.' : '.'));
    }
    const slowest = Math.max(0, ...items.map((t) => t.durationMs || 0));
    for (const t of items) {
      const tr = el('tr');
      tr.dataset.traceId = t.traceId;
      const href = X.traceHref(t.traceId);
      const service = el('td');
      service.append(X.swatch(t.service || ''), document.createTextNode(t.service || ''));
      const name = el('td');
      name.append(link(href, t.name || '(no name)'));
      const duration = el('td', 'num', X.formatDuration(t.durationMs));
      const bar = el('span', 'durbar');
      bar.style.width = (slowest > 0 ? Math.max(1, 100 * (t.durationMs || 0) / slowest) : 0) + '%';
      duration.append(bar);
      const errors = el('td', 'num' + (t.errorCount ? ' err-count' : ''), t.errorCount ? String(t.errorCount) : '');
      const svc = el('td');
      for (const s of t.services || []) {
        services.add(s);
        const chip = el('span', 'chip');
        chip.append(X.swatch(s), document.createTextNode(s));
        svc.append(chip);
      }
      const id = el('td', 'mono');
      id.append(link(href, String(t.traceId).slice(0, 16) + '…'));
      id.title = t.traceId;
      tr.append(X.timeCell(t.start), service, name, duration, el('td', 'num', String(t.spanCount ?? '')),
        errors, svc, id);
      // The whole row opens the trace; the links inside still work with a middle click.
      tr.addEventListener('click', (e) => {
        if (!e.target.closest('a')) location.assign(href);
      });
      tbody.append(tr);
    }
    const datalist = document.getElementById('services');
    datalist.replaceChildren(...[...services].sort().map((s) => new Option(s)));

    const first = items.length ? q.offset + 1 : 0;
    pageInfo.textContent = items.length ? first + '–' + (q.offset + items.length) + (result.hasMore ? '' : ' (end)') : '';
    prev.disabled = q.offset === 0;
    next.disabled = !result.hasMore;
    prev.textContent = q.sort === 'slowest' ? '← Slower' : '← Newer';
    next.textContent = q.sort === 'slowest' ? 'Faster →' : 'Older →';
    scatter(items, w);
  }

  /** Start time against duration of the traces on this page; errors red; a dot opens its trace. */
  function scatter(items, w) {
    const figure = document.getElementById('scatter');
    figure.replaceChildren();
    figure.hidden = items.length === 0;
    if (items.length === 0) return;
    const NS = 'http://www.w3.org/2000/svg';
    // Drawn at the figure's own width, so dots stay round and labels unstretched.
    const W = Math.max(400, figure.clientWidth - 18), H = 150, L = 64, R = 10, T = 10, B = 22;
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    const max = Math.max(...items.map((t) => t.durationMs || 0)) || 1;
    const add = (tag, attrs, text) => {
      const n = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
      if (text !== undefined) n.textContent = text;
      svg.append(n);
      return n;
    };
    add('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, class: 'axis' });
    add('line', { x1: L, y1: T, x2: L, y2: H - B, class: 'axis' });
    add('text', { x: L - 6, y: T + 10, 'text-anchor': 'end' }, X.formatDuration(max));
    add('text', { x: L - 6, y: H - B, 'text-anchor': 'end' }, '0');
    add('text', { x: L, y: H - 6 }, X.formatTime(new Date(w.from).toISOString()));
    add('text', { x: W - R, y: H - 6, 'text-anchor': 'end' }, X.formatTime(new Date(w.to).toISOString()));
    for (const t of items) {
      const at = Date.parse(X.trimNanos(t.start));
      const x = L + (W - L - R) * Math.min(1, Math.max(0, (at - w.from) / (w.to - w.from)));
      const y = H - B - (H - B - T) * ((t.durationMs || 0) / max);
      const dot = add('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: 4.5, class: t.errorCount ? 'error' : '' });
      const title = document.createElementNS(NS, 'title');
      title.textContent = (t.service || '') + ' ' + (t.name || '') + ' · ' + X.formatDuration(t.durationMs);
      dot.append(title);
      dot.addEventListener('click', () => location.assign(X.traceHref(t.traceId)));
    }
    figure.append(svg);
  }

  // ---- one trace ----

  async function showTrace(id) {
    const traceStatus = document.getElementById('trace-status');
    const back = document.getElementById('back');
    const lastSearch = sessionStorage.getItem(SEARCH_KEY);
    back.href = X.base + '/traces' + (lastSearch || '');
    document.getElementById('lookup-id').value = id;
    document.title = 'Trace ' + id.slice(0, 8) + ' · tskotel';
    if (!X.TRACE_ID.test(id)) {
      X.setStatus(traceStatus, 'trace id: "' + id + '" (expected: 32 hex characters)', true);
      state.loads++;
      return;
    }
    X.setStatus(traceStatus, 'loading…');
    try {
      const trace = await X.getJson('/traces/' + encodeURIComponent(id));
      state.lastTrace = trace;
      drawTrace(trace);
      X.setStatus(traceStatus, trace.truncated
        ? 'This trace has more spans than the collector lists ([query] explorer_max_rows): only the earliest are shown.'
        : '');
      const selected = new URLSearchParams(location.search).get('span');
      if (selected) select(selected, false);
    } catch (err) {
      state.lastError = err.message;
      document.getElementById('trace-title').textContent = 'Trace ' + id;
      X.setStatus(traceStatus, err.message, true);
    } finally {
      state.loads++;
    }
  }

  /** Epoch milliseconds with the fraction RFC 3339 carries (to about 200 ns). */
  function epochMs(iso) {
    const m = /^(.*T\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(String(iso || ''));
    if (!m) return NaN;
    return Date.parse(m[1] + m[3]) + (m[2] ? Number('0' + m[2]) * 1000 : 0);
  }

  function drawTrace(trace) {
    const spans = trace.spans || [];
    const root = spans.find((s) => !s.parentSpanId) || spans[0];
    const errorCount = spans.filter((s) => s.status === 'Error').length;
    const serviceCounts = new Map();
    spans.forEach((s) => serviceCounts.set(s.service, (serviceCounts.get(s.service) || 0) + 1));
    document.getElementById('trace-title').textContent =
      root ? (root.service || '') + ': ' + (root.name || '') : 'Trace ' + trace.traceId;

    const summary = document.getElementById('trace-summary');
    summary.replaceChildren();
    const fact = (k, v, cls) => {
      const d = el('div', cls);
      d.append(el('dt', null, k), el('dd', null, v));
      summary.append(d);
    };
    fact('Trace ID', trace.traceId, 'mono');
    fact('Start', X.formatTime(trace.start));
    fact('Duration', X.formatDuration(trace.durationMs));
    fact('Services', String(serviceCounts.size));
    fact('Spans', String(spans.length));
    fact('Depth', String(spans.reduce((d, s) => Math.max(d, (s.depth || 0) + 1), 0)));
    fact('Errors', String(errorCount), errorCount ? 'err-count' : null);

    const legend = document.getElementById('legend');
    legend.replaceChildren();
    for (const [s, n] of serviceCounts) {
      const chip = el('span', 'chip');
      chip.append(X.swatch(s), document.createTextNode(s + ' (' + n + ')'));
      legend.append(chip);
    }

    const total = trace.durationMs > 0 ? trace.durationMs
      : Math.max(0, ...spans.map((s) => (s.offsetMs || 0) + (s.durationMs || 0))) || 1;
    const traceStart = epochMs(trace.start);
    const wf = document.getElementById('waterfall');
    wf.replaceChildren(axisRow(total));
    const logsBySpan = new Map();
    for (const log of trace.logs || []) {
      if (log.spanId) logsBySpan.set(log.spanId, (logsBySpan.get(log.spanId) || []).concat([log]));
    }
    spans.forEach((span, i) => {
      const hasChildren = i + 1 < spans.length && (spans[i + 1].depth || 0) > (span.depth || 0);
      wf.append(spanRow(trace, span, total, traceStart, hasChildren, logsBySpan.get(span.spanId) || []));
    });
    if (spans.length === 0) wf.append(el('p', 'muted', 'This trace has no spans.'));
    drawTraceLogs(trace);
  }

  function axisRow(total) {
    const row = el('div', 'wf-row wf-axis');
    row.append(el('div', 'wf-name', 'Service · span'));
    const ticks = el('div', 'wf-track wf-ticks');
    for (const f of [0, 0.25, 0.5, 0.75, 1]) {
      const t = el('span', null, X.formatDuration(total * f));
      t.style.left = f * 100 + '%';
      ticks.append(t);
    }
    row.append(ticks);
    return row;
  }

  function spanRow(trace, span, total, traceStart, hasChildren, logs) {
    const depth = span.depth || 0;
    const isError = span.status === 'Error';
    const row = el('div', 'wf-row wf-span' + (isError ? ' error' : ''));
    row.dataset.spanId = span.spanId;
    row.dataset.parentSpanId = span.parentSpanId || '';
    row.dataset.depth = String(depth);
    row.dataset.status = span.status || 'Unset';
    row.setAttribute('role', 'treeitem');
    row.setAttribute('aria-level', String(depth + 1));
    row.tabIndex = 0;

    const name = el('div', 'wf-name');
    name.style.paddingLeft = 6 + depth * 16 + 'px';
    const toggle = el('button', 'toggle', hasChildren ? '▾' : '');
    toggle.type = 'button';
    if (hasChildren) {
      toggle.title = 'collapse / expand children';
      row.setAttribute('aria-expanded', 'true');
      toggle.addEventListener('click', (e) => {
        e.stopPropagation();
        collapse(row, row.getAttribute('aria-expanded') === 'true');
      });
    } else {
      toggle.disabled = true;
    }
    name.append(toggle);
    if (isError) {
      const mark = el('span', 'err-mark', '!');
      mark.title = 'status Error' + (span.statusMessage ? ': ' + span.statusMessage : '');
      name.append(mark);
    }
    name.append(X.swatch(span.service || ''), el('span', 'svc', span.service || ''), el('span', 'op', span.name || ''));
    name.title = (span.service || '') + ' ' + (span.name || '');

    const track = el('div', 'wf-track');
    const left = Math.min(100, Math.max(0, 100 * (span.offsetMs || 0) / total));
    const width = Math.min(100 - left, Math.max(0, 100 * (span.durationMs || 0) / total));
    const bar = el('div', 'wf-bar');
    bar.style.left = left + '%';
    bar.style.width = width + '%';
    bar.style.background = X.colour(span.service || '');
    track.append(bar);
    for (const ev of span.events || []) {
      const at = epochMs(ev.time) - traceStart;
      if (!isFinite(at)) continue;
      const tick = el('div', 'wf-event' + (ev.name === 'exception' ? ' exception' : ''));
      tick.style.left = Math.min(100, Math.max(0, 100 * at / total)) + '%';
      tick.title = ev.name + ' at ' + X.formatDuration(at);
      track.append(tick);
    }
    const label = el('span', 'wf-label', X.formatDuration(span.durationMs) + (logs.length ? ' · ' + logs.length + ' log' + (logs.length > 1 ? 's' : '') : ''));
    // Beside the bar where there is room, else inside it (a bar that spans most of the trace).
    if (left + width <= 72) {
      label.style.left = left + width + '%';
      label.style.paddingLeft = '6px';
    } else if (left >= 28) {
      label.style.right = 100 - left + '%';
      label.style.paddingRight = '6px';
    } else {
      label.classList.add('inside');
      label.style.left = left + '%';
      label.style.paddingLeft = '6px';
    }
    track.append(label);
    row.append(name, track);

    row.addEventListener('click', () => select(span.spanId, true));
    row.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        select(span.spanId, true);
      }
    });
    row.span = span;
    row.logs = logs;
    return row;
  }

  /** Marks the spans whose service, name, ids or attributes contain the text typed in "Find"; dims the rest. */
  function find() {
    const needle = document.getElementById('find').value.trim().toLowerCase();
    let n = 0;
    document.querySelectorAll('#waterfall .wf-span').forEach((row) => {
      const s = row.span;
      const text = [s.service, s.name, s.spanId, s.kind, s.status, s.statusMessage]
        .concat(Object.entries(s.attributes || {}).map(([k, v]) => k + '=' + v))
        .concat(Object.entries(s.resourceAttributes || {}).map(([k, v]) => k + '=' + v))
        .join('\n').toLowerCase();
      const hit = needle !== '' && text.includes(needle);
      if (hit) n++;
      row.classList.toggle('match', hit);
      row.classList.toggle('dim', needle !== '' && !hit);
    });
    document.getElementById('find-count').textContent = needle ? n + ' of ' + state.lastTrace.spans.length + ' spans' : '';
  }

  /** Hides (or shows) the rows after this one that are deeper: its subtree, as spans come depth-first. */
  function collapse(row, hide) {
    row.setAttribute('aria-expanded', String(!hide));
    row.querySelector('.toggle').textContent = hide ? '▸' : '▾';
    const depth = Number(row.dataset.depth);
    let hiddenBelow = Infinity;
    for (let n = row.nextElementSibling; n; n = n.nextElementSibling) {
      if (n.classList.contains('wf-detail')) {
        n.hidden = hide || n.previousElementSibling.hidden;
        continue;
      }
      const d = Number(n.dataset.depth);
      if (d <= depth) break;
      if (hide) {
        n.hidden = true;
      } else {
        // Showing again: a collapsed descendant keeps its own subtree folded.
        if (d > hiddenBelow) continue;
        hiddenBelow = Infinity;
        n.hidden = false;
        if (n.getAttribute('aria-expanded') === 'false') hiddenBelow = d;
      }
    }
  }

  /** Opens (or closes) a span's details under its row; the URL remembers it (?span=) for sharing. */
  function select(spanId, toggle) {
    const wf = document.getElementById('waterfall');
    const row = [...wf.querySelectorAll('.wf-span')].find((r) => r.dataset.spanId === spanId);
    if (!row) return;
    const open = row.nextElementSibling && row.nextElementSibling.classList.contains('wf-detail');
    wf.querySelectorAll('.wf-detail').forEach((d) => d.remove());
    wf.querySelectorAll('.wf-span.selected').forEach((r) => r.classList.remove('selected'));
    const url = new URL(location.href);
    if (open && toggle) {
      url.searchParams.delete('span');
    } else {
      // A collapsed ancestor hides the row: unfold the way to it.
      for (let r = row; r && r.hidden;) {
        r = parentRow(wf, r);
        if (r && r.getAttribute('aria-expanded') === 'false') collapse(r, false);
      }
      row.classList.add('selected');
      row.after(detail(row.span, row.logs));
      url.searchParams.set('span', spanId);
      row.scrollIntoView({ block: 'nearest' });
    }
    history.replaceState(null, '', url.pathname + url.search);
  }

  function parentRow(wf, row) {
    return [...wf.querySelectorAll('.wf-span')].find((r) => r.dataset.spanId === row.dataset.parentSpanId) || null;
  }

  function detail(span, logs) {
    const d = el('div', 'wf-detail');
    d.dataset.spanId = span.spanId;
    const facts = {
      'Service': span.service || '',
      'Span': span.name || '',
      'Span ID': span.spanId,
      'Parent span ID': span.parentSpanId || '(root)',
      'Kind': span.kind || '',
      'Status': (span.status || 'Unset') + (span.statusMessage ? ': ' + span.statusMessage : ''),
      'Start': span.start + ' (+' + X.formatDuration(span.offsetMs) + ')',
      'Duration': X.formatDuration(span.durationMs),
    };
    d.append(el('h4', null, 'Span'), X.kvTable(facts, null, true));
    d.append(el('h4', null, 'Attributes'), X.kvTable(span.attributes, (k, v) => {
      location.assign(X.base + '/traces?' + new URLSearchParams({ attr: k + '=' + v }).toString());
    }));
    d.append(el('h4', null, 'Resource'), X.kvTable(span.resourceAttributes));

    const spanStart = epochMs(span.start);
    d.append(el('h4', null, 'Events (' + (span.events || []).length + ')'));
    if (!(span.events || []).length) d.append(el('p', 'muted', 'none'));
    for (const ev of span.events || []) {
      const e = el('div', 'event');
      const head = el('div');
      head.append(el('span', 'when', '+' + X.formatDuration(epochMs(ev.time) - spanStart)),
        el('strong', ev.name === 'exception' ? 'err-count' : null, ev.name || ''));
      e.append(head, X.kvTable(ev.attributes));
      d.append(e);
    }

    d.append(el('h4', null, 'Links (' + (span.links || []).length + ')'));
    if (!(span.links || []).length) d.append(el('p', 'muted', 'none'));
    for (const l of span.links || []) {
      const e = el('div', 'event');
      const head = el('div', 'mono');
      const a = link(X.traceHref(l.traceId) + '?span=' + encodeURIComponent(l.spanId), 'trace ' + l.traceId);
      a.className = 'span-link';
      head.append(a, document.createTextNode(' · span ' + l.spanId));
      e.append(head);
      if (l.attributes && Object.keys(l.attributes).length) e.append(X.kvTable(l.attributes));
      d.append(e);
    }

    d.append(el('h4', null, 'Logs of this span (' + logs.length + ')'));
    if (!logs.length) d.append(el('p', 'muted', 'none'));
    for (const log of logs) {
      const e = el('div', 'event');
      e.append(el('span', 'when', X.formatTime(log.time)), X.sevBadge(log.severity), document.createTextNode(' ' + (log.body || '')));
      d.append(e);
    }
    return d;
  }

  function drawTraceLogs(trace) {
    const logs = trace.logs || [];
    const href = X.logsHref(trace.traceId, trace.start, trace.durationMs);
    document.getElementById('trace-logs-link').href = href;
    const body = document.querySelector('#trace-logs tbody');
    body.replaceChildren();
    if (logs.length === 0) X.emptyRow(body, 6, 'No logs carry this trace id.');
    for (const log of logs) {
      const tr = el('tr', 'sevrow-' + X.severityClass(log.severity));
      tr.dataset.spanId = log.spanId || '';
      const sev = el('td', 'sevcell');
      sev.append(X.sevBadge(log.severity));
      const span = el('td', 'mono');
      if (log.spanId) {
        const b = el('button', 'span-jump', log.spanId.slice(0, 8));
        b.type = 'button';
        b.title = 'show span ' + log.spanId;
        b.addEventListener('click', (e) => {
          e.stopPropagation();
          select(log.spanId, false);
        });
        span.append(b);
      }
      const open = el('td', 'nowrap');
      open.append(link(href, 'log explorer →', 'small log-link'));
      tr.append(X.timeCell(log.time), sev, el('td', 'nowrap', log.service || ''), el('td', 'body', log.body || ''), span, open);
      tr.addEventListener('click', (e) => {
        if (!e.target.closest('a,button')) tr.classList.toggle('open');
      });
      body.append(tr);
    }
  }
})();
