// tskotel explorer: what the traces and logs pages share (API calls, time ranges, URL state, formatting).
// Plain script, no build step. Everything from the API goes into the page through textContent or as an
// attribute value, never as HTML.
(function () {
  'use strict';

  const body = document.body;
  const api = body.dataset.api;
  const base = body.dataset.base;

  const RANGES = { '5m': 5 * 60e3, '15m': 15 * 60e3, '1h': 3600e3, '6h': 6 * 3600e3, '24h': 24 * 3600e3,
    '2d': 2 * 86400e3, '7d': 7 * 86400e3 };
  const TRACE_ID = /^[0-9a-f]{32}$/;

  // Sticky rows (the waterfall's time axis) sit just under the sticky page header.
  const header = document.querySelector('header');
  const headerHeight = () => document.documentElement.style.setProperty('--header-height', header.offsetHeight + 'px');
  headerHeight();
  window.addEventListener('resize', headerHeight);

  /** GET {api}{path}?params as JSON; rejects with the API's {"error": …} message. */
  async function getJson(path, params) {
    const query = params ? '?' + params.toString() : '';
    let response;
    try {
      response = await fetch(api + path + query, { headers: { Accept: 'application/json' } });
    } catch (e) {
      throw new Error('the collector did not answer (' + (e.message || e) + ')');
    }
    const text = await response.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch (e) {
      // Not JSON: a proxy's page or an empty body; the status says what happened.
    }
    if (!response.ok) {
      const message = json && (json.error || json.message);
      const error = new Error(message ? String(message) : 'HTTP ' + response.status + ' from ' + api + path);
      error.status = response.status;
      throw error;
    }
    if (json === null) throw new Error(api + path + ': not JSON (HTTP ' + response.status + ')');
    return json;
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function link(href, text, cls) {
    const a = el('a', cls, text);
    a.href = href;
    return a;
  }

  function traceHref(traceId) {
    return base + '/traces/' + encodeURIComponent(traceId);
  }

  /** The log explorer filtered to one trace, over a window around the trace's time. */
  function logsHref(traceId, startIso, durationMs) {
    const p = new URLSearchParams({ traceId });
    const start = Date.parse(trimNanos(startIso));
    if (!isNaN(start)) {
      p.set('from', new Date(start - 30 * 60e3).toISOString());
      p.set('to', new Date(start + (durationMs || 0) + 30 * 60e3).toISOString());
    }
    return base + '/logs?' + p.toString();
  }

  // Date parses milliseconds: cut RFC 3339 nanoseconds to three digits (the text keeps all of them).
  function trimNanos(iso) {
    return String(iso || '').replace(/(\.\d{3})\d+/, '$1');
  }

  function pad(n, w) {
    return String(n).padStart(w || 2, '0');
  }

  /** Local date and time with milliseconds; the full UTC text with nanoseconds goes in the title. */
  function formatTime(iso) {
    const d = new Date(trimNanos(iso));
    if (isNaN(d.getTime())) return String(iso || '');
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours())
      + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + '.' + pad(d.getMilliseconds(), 3);
  }

  function timeCell(iso) {
    const td = el('td', 'time', formatTime(iso));
    td.title = String(iso || '');
    return td;
  }

  function formatDuration(ms) {
    if (ms === null || ms === undefined || !isFinite(ms)) return '—';
    if (ms === 0) return '0 ms';
    if (ms < 1) return +(ms * 1000).toFixed(ms < 0.01 ? 2 : 0) + ' µs';
    if (ms < 10) return +ms.toFixed(2) + ' ms';
    if (ms < 1000) return +ms.toFixed(1) + ' ms';
    if (ms < 60e3) return +(ms / 1000).toFixed(2) + ' s';
    const m = Math.floor(ms / 60e3);
    return m + 'm ' + Math.round((ms - m * 60e3) / 1000) + 's';
  }

  /** "250ms", "1.5s", "2m", "800us" or a bare number of milliseconds → milliseconds; NaN when not one. */
  function parseDuration(text) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m)?\s*$/i.exec(String(text || ''));
    if (!m) return NaN;
    const n = Number(m[1]);
    switch ((m[2] || 'ms').toLowerCase()) {
      case 'us': case 'µs': return n / 1000;
      case 's': return n * 1000;
      case 'm': return n * 60e3;
      default: return n;
    }
  }

  /**
   * Attribute filters typed as space-separated k=v, a value in double quotes when it has spaces
   * ({@code http.route=/cart user.name="Ann Lee"}) → ["k=v", …]; throws on a term without "=".
   */
  function parseAttrs(text) {
    const out = [];
    const re = /\s*([^\s=]+)=("((?:[^"\\]|\\.)*)"|\S*)/y;
    let rest = String(text || '').trim();
    let i = 0;
    while (i < rest.length) {
      re.lastIndex = i;
      const m = re.exec(rest);
      if (!m) {
        const term = rest.slice(i).trim().split(/\s+/)[0];
        throw new Error('attribute filter "' + term + '": expected key=value');
      }
      const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[2];
      out.push(m[1] + '=' + value);
      i = re.lastIndex;
      while (i < rest.length && /\s/.test(rest[i])) i++;
    }
    return out;
  }

  /** The other way round, for putting the URL's attr=… back into the input. */
  function formatAttrs(list) {
    return list.map((kv) => {
      const at = kv.indexOf('=');
      const k = kv.slice(0, at);
      const v = kv.slice(at + 1);
      return /[\s"]/.test(v) || v === '' ? k + '="' + v.replace(/(["\\])/g, '\\$1') + '"' : k + '=' + v;
    }).join(' ');
  }

  /**
   * The search's time window from the URL state: a preset (range=1h, relative to now) or a custom
   * from/to; → {from, to} as epoch milliseconds, or throws with what is wrong.
   */
  function window_(state) {
    if (state.range === 'custom') {
      const from = Date.parse(state.from);
      const to = state.to ? Date.parse(state.to) : Date.now();
      if (isNaN(from)) throw new Error('from: pick a start time');
      if (isNaN(to)) throw new Error('to: not a time');
      if (to <= from) throw new Error('to: must be after from');
      return { from, to };
    }
    const span = RANGES[state.range] || RANGES['1h'];
    const to = Date.now();
    return { from: to - span, to };
  }

  /** Reads range/from/to from URL parameters: from+to without range means a custom window. */
  function rangeFromParams(p, fallback) {
    if (p.has('from')) return { range: 'custom', from: p.get('from'), to: p.get('to') || '' };
    const r = p.get('range');
    return { range: r && (r in RANGES) ? r : fallback, from: '', to: '' };
  }

  // The filters both searches have: attribute filters and the time range, in the URL and in the form.

  /** attr=… and range (or from/to) from URL parameters → {attrs, range, from, to}. */
  function filtersFromParams(p) {
    return Object.assign({ attrs: p.getAll('attr').filter((a) => a.includes('=')) }, rangeFromParams(p, '1h'));
  }

  /** The other way round, into p; the default range (1h) is left out. */
  function filtersToParams(q, p) {
    q.attrs.forEach((a) => p.append('attr', a));
    if (q.range === 'custom') {
      p.set('from', q.from);
      if (q.to) p.set('to', q.to);
    } else if (q.range !== '1h') {
      p.set('range', q.range);
    }
  }

  /** Puts q's filters into the form's attr, range, from and to inputs. */
  function fillFilters(form, q) {
    const f = form.elements;
    f.attr.value = formatAttrs(q.attrs);
    f.range.value = q.range;
    f.from.value = q.range === 'custom' ? localInput(q.from) : '';
    f.to.value = q.range === 'custom' && q.to ? localInput(q.to) : '';
  }

  /** Reads the form's filters into q; throws on a bad attribute filter or a custom range without a start. */
  function readFilters(form, q) {
    const f = form.elements;
    q.attrs = parseAttrs(f.attr.value);
    q.range = f.range.value;
    if (q.range === 'custom') {
      q.from = fromLocalInput(f.from.value);
      q.to = fromLocalInput(f.to.value);
      if (!q.from) throw new Error('from: pick a start time');
    }
  }

  /** datetime-local value (local time, no zone) ⇄ ISO text in UTC. */
  function localInput(iso) {
    const d = new Date(trimNanos(iso));
    if (isNaN(d.getTime())) return '';
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours())
      + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }

  function fromLocalInput(value) {
    if (!value) return '';
    const d = new Date(value);
    return isNaN(d.getTime()) ? '' : d.toISOString();
  }

  function wireRange(form) {
    const select = form.elements.range;
    const custom = form.querySelector('.custom-range');
    const sync = () => {
      custom.hidden = select.value !== 'custom';
      if (select.value === 'custom' && !form.elements.from.value) {
        form.elements.from.value = localInput(new Date(Date.now() - 3600e3).toISOString());
        form.elements.to.value = localInput(new Date().toISOString());
      }
    };
    select.addEventListener('change', sync);
    return sync;
  }

  /** Service colours: stable per name, distinct for the first few. */
  const PALETTE = ['#2f6fed', '#e8710a', '#1a7f37', '#9334e6', '#0b8a9c', '#d6336c', '#8a6d00', '#5c6bc0',
    '#00897b', '#a0522d', '#6d4c41', '#3949ab'];
  const assigned = new Map();
  function colour(service) {
    if (!assigned.has(service)) {
      let h = 0;
      for (const ch of String(service)) h = (h * 31 + ch.codePointAt(0)) >>> 0;
      let i = h % PALETTE.length;
      // Prefer a colour no other service on the page has yet.
      const used = new Set(assigned.values());
      for (let k = 0; k < PALETTE.length && used.has(PALETTE[i]); k++) i = (i + 1) % PALETTE.length;
      assigned.set(service, PALETTE[i]);
    }
    return assigned.get(service);
  }

  function swatch(service) {
    const s = el('span', 'swatch');
    s.style.background = colour(service);
    return s;
  }

  /**
   * A key/value table of an attribute map, keys sorted unless keepOrder; a value that is not text is shown as
   * JSON; onClick(k, v), when given, makes values clickable (e.g. "search for k=v").
   */
  function kvTable(map, onClick, keepOrder) {
    const keys = Object.keys(map || {});
    if (!keepOrder) keys.sort();
    if (keys.length === 0) return el('p', 'muted', 'none');
    const table = el('table', 'kv');
    const tbody = el('tbody');
    for (const k of keys) {
      const v = map[k];
      const text = typeof v === 'string' ? v : JSON.stringify(v);
      const tr = el('tr');
      const value = el('td', 'mono', text);
      if (onClick) {
        value.classList.add('attr-link');
        value.title = 'search for ' + k + '=' + text;
        value.addEventListener('click', () => onClick(k, text));
      }
      tr.append(el('th', 'mono', k), value);
      tbody.append(tr);
    }
    table.append(tbody);
    return table;
  }

  /** Text with every case-insensitive occurrence of needle in a <mark>, all as text nodes. */
  function highlighted(text, needle) {
    const frag = document.createDocumentFragment();
    const s = String(text);
    if (!needle) {
      frag.append(s);
      return frag;
    }
    const lower = s.toLowerCase();
    const n = needle.toLowerCase();
    let i = 0;
    for (let at = lower.indexOf(n); at >= 0 && n.length > 0; at = lower.indexOf(n, i)) {
      frag.append(s.slice(i, at), el('mark', null, s.slice(at, at + n.length)));
      i = at + n.length;
    }
    frag.append(s.slice(i));
    return frag;
  }

  function severityClass(severity) {
    const s = String(severity || '').toUpperCase();
    for (const name of ['FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE']) {
      if (s.startsWith(name)) return name.toLowerCase();
    }
    return 'unset';
  }

  function sevBadge(severity) {
    return el('span', 'sevbadge sev-' + severityClass(severity), severity || '—');
  }

  function setStatus(node, text, isError) {
    node.textContent = text || '';
    node.classList.toggle('error', !!isError);
  }

  /** fn()'s value; when fn throws, its message shown as an error in status, and undefined. */
  function orStatus(status, fn) {
    try {
      return fn();
    } catch (err) {
      setStatus(status, err.message, true);
      return undefined;
    }
  }

  function emptyRow(tbody, columns, text) {
    const tr = el('tr', 'empty');
    const td = el('td', null, text);
    td.colSpan = columns;
    tr.append(td);
    tbody.append(tr);
  }

  window.tskotelExplorer = {
    api, base, RANGES, TRACE_ID, getJson, el, link, traceHref, logsHref, trimNanos, formatTime, timeCell,
    formatDuration, parseDuration, parseAttrs, formatAttrs, window: window_, rangeFromParams, filtersFromParams, filtersToParams, fillFilters,
    readFilters, localInput,
    fromLocalInput, wireRange, colour, swatch, kvTable, highlighted, severityClass, sevBadge, setStatus, orStatus, emptyRow,
  };
})();
