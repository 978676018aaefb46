// tskotel log explorer: GET {api}/logs, newest first; "Load older" pages with before=, the live tail polls
// with after= while the page is visible. The search lives in the query string (shareable, Back works).
(function () {
  'use strict';

  const X = window.tskotelExplorer;
  const { el, link } = X;
  const LIMIT = 50;
  const TAIL_LIMIT = 500;
  const TAIL_MS = 2000;
  // The page keeps at most this many logs: the live tail drops the oldest beyond it.
  const MAX_ROWS = 1000;

  // Exposed for people poking at the page and for the browser test.
  const state = { loads: 0, polls: 0, items: [], lastError: null, seq: 0, live: false, timer: null,
    window: null, query: null, hasMore: false };
  window.tskotelLogs = state;

  const form = document.getElementById('search');
  const status = document.getElementById('status');
  const tbody = document.querySelector('#logs tbody');
  const older = document.getElementById('older');
  const count = document.getElementById('count');
  const live = document.getElementById('live');
  const services = new Set();
  const syncRange = X.wireRange(form);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = X.orStatus(status, readForm);
    if (q) navigate(q);
  });
  document.getElementById('reset').addEventListener('click', () => navigate(Object.assign(defaults(), { live: state.live })));
  older.addEventListener('click', loadOlder);
  live.addEventListener('change', () => {
    const q = state.query || defaults();
    q.live = live.checked;
    // A tail follows "now": a custom window that ends in the past cannot have newer logs.
    if (q.live && q.range === 'custom') {
      q.range = '1h';
      q.from = q.to = '';
      navigate(q);
      return;
    }
    history.replaceState(null, '', url(q));
    setLive(q.live);
  });
  document.addEventListener('visibilitychange', () => {
    if (state.live && !document.hidden) schedule(0);
  });
  window.addEventListener('popstate', route);
  route();

  function route() {
    const q = fromUrl(new URLSearchParams(location.search));
    fill(q);
    search(q);
  }

  function defaults() {
    return { q: '', service: '', severity: '', traceId: '', attrs: [], range: '1h', from: '', to: '', live: false };
  }

  function fromUrl(p) {
    const q = defaults();
    q.q = p.get('q') || '';
    q.service = p.get('service') || '';
    const sev = String(p.get('severity') || '').toUpperCase();
    q.severity = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].includes(sev) ? sev : '';
    q.traceId = p.get('traceId') || '';
    Object.assign(q, X.filtersFromParams(p));
    q.live = p.get('live') === '1' && q.range !== 'custom';
    return q;
  }

  function url(q) {
    const p = new URLSearchParams();
    if (q.q) p.set('q', q.q);
    if (q.service) p.set('service', q.service);
    if (q.severity) p.set('severity', q.severity);
    if (q.traceId) p.set('traceId', q.traceId);
    X.filtersToParams(q, p);
    if (q.live) p.set('live', '1');
    return X.base + '/logs' + (p.toString() ? '?' + p.toString() : '');
  }

  function fill(q) {
    const f = form.elements;
    f.q.value = q.q;
    f.service.value = q.service;
    f.severity.value = q.severity;
    f.traceId.value = q.traceId;
    X.fillFilters(form, q);
    syncRange();
    live.checked = q.live;
  }

  function readForm() {
    const f = form.elements;
    const q = defaults();
    q.q = f.q.value.trim();
    q.service = f.service.value.trim();
    q.severity = f.severity.value;
    q.traceId = f.traceId.value.trim().toLowerCase();
    if (q.traceId && !X.TRACE_ID.test(q.traceId)) {
      throw new Error('trace id: "' + q.traceId + '" (expected: 32 hex characters)');
    }
    X.readFilters(form, q);
    q.live = live.checked && q.range !== 'custom';
    return q;
  }

  function navigate(q) {
    const target = url(q);
    if (target !== location.pathname + location.search) history.pushState(null, '', target);
    fill(q);
    search(q);
  }

  /** The filters every request of this search carries (not the time window or paging). */
  function filters(q) {
    const p = new URLSearchParams();
    if (q.service) p.set('service', q.service);
    if (q.severity) p.set('severity', q.severity);
    if (q.q) p.set('q', q.q);
    if (q.traceId) p.set('traceId', q.traceId);
    q.attrs.forEach((a) => p.append('attr', a));
    return p;
  }

  async function search(q) {
    const seq = ++state.seq;
    clearTimeout(state.timer);
    const w = X.orStatus(status, () => X.window(q));
    if (!w) return;
    state.query = q;
    state.window = w;
    state.live = q.live;
    const p = filters(q);
    p.set('from', String(Math.floor(w.from)));
    p.set('to', String(Math.ceil(w.to)));
    p.set('limit', String(LIMIT));
    X.setStatus(status, 'searching…');
    try {
      const result = await X.getJson('/logs', p);
      if (seq !== state.seq) return;
      state.items = [];
      state.lastError = null;
      tbody.replaceChildren();
      append(result.items || [], false);
      state.hasMore = !!result.hasMore;
      footer();
      X.setStatus(status, '');
    } catch (err) {
      if (seq !== state.seq) return;
      failed(err);
      state.items = [];
      tbody.replaceChildren();
      X.emptyRow(tbody, 5, 'The search failed.');
    } finally {
      if (seq === state.seq) {
        state.loads++;
        setLive(q.live);
      }
    }
  }

  async function loadOlder() {
    const last = state.items[state.items.length - 1];
    if (!last) return;
    const seq = state.seq;
    const p = filters(state.query);
    p.set('from', String(Math.floor(state.window.from)));
    p.set('before', last.time);
    p.set('limit', String(LIMIT));
    older.disabled = true;
    try {
      const result = await X.getJson('/logs', p);
      if (seq !== state.seq) return;
      append(result.items || [], false);
      state.hasMore = !!result.hasMore;
      footer();
      X.setStatus(status, '');
    } catch (err) {
      if (seq === state.seq) failed(err);
    } finally {
      older.disabled = false;
    }
  }

  function setLive(on) {
    state.live = on;
    live.checked = on;
    document.getElementById('live-label').classList.toggle('on', on);
    clearTimeout(state.timer);
    if (on) schedule(TAIL_MS);
  }

  function schedule(ms) {
    clearTimeout(state.timer);
    state.timer = setTimeout(poll, ms);
  }

  /** One live-tail poll: the logs strictly newer than the newest shown. Paused while the page is hidden. */
  async function poll() {
    if (!state.live || document.hidden) return;
    const first = state.items[0];
    if (!first) {
      // Nothing shown yet: the search itself, over a window ending now, is the poll.
      await search(state.query);
      state.polls++;
      return;
    }
    const seq = state.seq;
    const p = filters(state.query);
    p.set('after', first.time);
    p.set('limit', String(TAIL_LIMIT));
    try {
      const result = await X.getJson('/logs', p);
      if (seq !== state.seq) return;
      if (result.hasMore) {
        // More arrived than one poll returns: start over from the newest rather than leave a gap.
        await search(state.query);
        return;
      }
      append(result.items || [], true);
      footer();
      X.setStatus(status, 'live · ' + new Date().toLocaleTimeString());
    } catch (err) {
      if (seq === state.seq) failed(err);
    } finally {
      state.polls++;
      if (seq === state.seq && state.live) schedule(TAIL_MS);
    }
  }

  function failed(err) {
    state.lastError = err.message;
    X.setStatus(status, err.message, true);
  }

  /** Adds logs (newest first) after the shown ones, or before them for the tail's newer logs. */
  function append(items, newer) {
    if (tbody.querySelector('tr.empty')) tbody.replaceChildren();
    if (newer) {
      const anchor = tbody.firstChild;
      for (const log of items) tbody.insertBefore(rows(log, true), anchor);
      state.items = items.concat(state.items);
      while (state.items.length > MAX_ROWS) {
        state.items.pop();
        const lastMain = [...tbody.querySelectorAll('tr.log')].pop();
        if (lastMain.nextElementSibling && lastMain.nextElementSibling.classList.contains('detail')) {
          lastMain.nextElementSibling.remove();
        }
        lastMain.remove();
        state.hasMore = true;
      }
    } else {
      for (const log of items) tbody.append(rows(log, false));
      state.items = state.items.concat(items);
    }
    if (state.items.length === 0) {
      const q = state.query;
      const filtered = q.q || q.service || q.severity || q.traceId || q.attrs.length;
      X.emptyRow(tbody, 5, 'No logs in this range' + (filtered ? ' match these filters.' : '.')
        + (state.live ? ' Waiting for new ones…' : ''));
    }
    const datalist = document.getElementById('services');
    datalist.replaceChildren(...[...services].sort().map((s) => new Option(s)));
  }

  function footer() {
    older.hidden = !state.hasMore || state.items.length === 0;
    count.textContent = state.items.length ? state.items.length + ' log' + (state.items.length > 1 ? 's' : '')
      + (state.hasMore ? ' shown' : '') : '';
  }

  function rows(log, fresh) {
    const frag = document.createDocumentFragment();
    const sevClass = X.severityClass(log.severity);
    const tr = el('tr', 'log sevrow-' + sevClass + (fresh ? ' fresh' : ''));
    tr.dataset.traceId = log.traceId || '';
    if (log.service) services.add(log.service);
    const sev = el('td', 'sevcell');
    sev.append(X.sevBadge(log.severity));
    const service = el('td', 'nowrap');
    if (log.service) {
      const s = el('span', 'attr-link', log.service);
      s.title = 'show only ' + log.service;
      s.addEventListener('click', (e) => {
        e.stopPropagation();
        navigate(Object.assign({}, state.query, { service: log.service }));
      });
      service.append(X.swatch(log.service), s);
    }
    const bodyCell = el('td', 'body');
    // A quoted word ("expir") searches as a substring: highlight without the quotes.
    const needle = state.query ? state.query.q.replace(/^"(.*)"$/, '$1') : '';
    bodyCell.append(X.highlighted(log.body ?? '', needle));
    const trace = el('td', 'mono');
    if (log.traceId) {
      const a = link(X.traceHref(log.traceId) + (log.spanId ? '?span=' + encodeURIComponent(log.spanId) : ''),
        log.traceId.slice(0, 8) + '…', 'trace-link');
      a.title = 'trace ' + log.traceId;
      trace.append(a);
    }
    tr.append(X.timeCell(log.time), sev, service, bodyCell, trace);
    tr.addEventListener('click', (e) => {
      if (e.target.closest('a')) return;
      const next = tr.nextElementSibling;
      if (next && next.classList.contains('detail')) {
        next.remove();
        tr.classList.remove('open');
      } else {
        tr.classList.add('open');
        tr.after(detail(log));
      }
    });
    frag.append(tr);
    return frag;
  }

  function detail(log) {
    const tr = el('tr', 'detail');
    const td = el('td');
    td.colSpan = 5;
    const facts = { 'Time': log.time, 'Severity': (log.severity || '') + ' (' + (log.severityNumber ?? '—') + ')',
      'Service': log.service || '' };
    if (log.traceId) facts['Trace ID'] = log.traceId;
    if (log.spanId) facts['Span ID'] = log.spanId;
    const addFilter = (k, v) => {
      const q = Object.assign({}, state.query);
      q.attrs = q.attrs.concat([k + '=' + v]);
      navigate(q);
    };
    td.append(el('h4', null, 'Log'), X.kvTable(facts, null, true), el('h4', null, 'Attributes'),
      X.kvTable(log.attributes, addFilter), el('h4', null, 'Resource'), X.kvTable(log.resourceAttributes));
    tr.append(td);
    return tr;
  }
})();
