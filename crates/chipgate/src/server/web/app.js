// chipgate's web page. Plain JavaScript, no libraries, nothing loaded from elsewhere.
// Every answer shown here comes from the audited /v1 API, called with the API key the user
// pasted (kept in sessionStorage for this tab only, sent as the bearer token). Errors from
// the API ({"error": {code, message, hint, field}}) are shown next to the field they name.
'use strict';

(() => {
  const KEY = 'chipgate.api-key';
  const state = { chips: [], scenarios: [], mapTimer: 0, urls: [] };

  // ---------- small helpers ----------

  const byId = (id) => document.getElementById(id);

  /** Builds an element: h('p', {class: 'x'}, 'text', child, …). Text is never parsed as HTML. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c === undefined || c === null || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  /** Appends the children that are not null (Element.append would write "null"). */
  function put(el, ...children) {
    el.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
    return el;
  }

  const words = (s) => String(s || '').replace(/_/g, ' ');
  const fmtNumber = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : n);
  const fmtUsd = (n) =>
    typeof n === 'number' ? '$' + Math.round(n).toLocaleString('en-US') : '';

  function apiKey() {
    try {
      return sessionStorage.getItem(KEY) || '';
    } catch (_) {
      return '';
    }
  }

  class ApiError extends Error {
    constructor(status, detail) {
      super(detail.message);
      this.status = status;
      this.detail = detail;
    }
  }

  /** The JSON error of a failed response, whatever the server sent. */
  async function errorOf(status, text) {
    try {
      const v = JSON.parse(text);
      if (v && v.error && v.error.message) return v.error;
    } catch (_) {
      /* not JSON */
    }
    return { code: 'http_' + status, message: 'the server answered HTTP ' + status, hint: null, field: null };
  }

  /** Calls the API; resolves to {data, seq} or throws an ApiError. */
  async function api(method, path, opts = {}) {
    const headers = { Authorization: 'Bearer ' + apiKey() };
    let body;
    if (opts.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    let resp;
    try {
      resp = await fetch(path, { method, headers, body, cache: 'no-store' });
    } catch (e) {
      throw new ApiError(0, { code: 'network', message: 'the server cannot be reached (' + e.message + ')', hint: 'check that `chipgate serve` is running', field: null });
    }
    if (!resp.ok) {
      const detail = await errorOf(resp.status, await resp.text());
      if (resp.status === 401) signedOut(detail);
      throw new ApiError(resp.status, detail);
    }
    const seq = resp.headers.get('x-audit-seq');
    const data = opts.blob ? await resp.blob() : await resp.json();
    return { data, seq };
  }

  // ---------- errors next to fields ----------

  function clearErrors(prefix) {
    document.querySelectorAll(`[id^="err-${prefix}-"]`).forEach((el) => {
      el.hidden = true;
      el.textContent = '';
    });
    document.querySelectorAll(`[id^="${prefix}-"][aria-invalid]`).forEach((el) => el.removeAttribute('aria-invalid'));
  }

  /** Shows an error next to its field (or at the top of the form) and focuses the field. */
  function showError(prefix, err) {
    const d = err && err.detail ? err.detail : { message: String(err && err.message ? err.message : err) };
    let field = d.field || '';
    if (prefix === 'check' && field.startsWith('spec')) field = 'spec';
    let box = field ? byId(`err-${prefix}-${field}`) : null;
    const known = !!box;
    if (!box) box = byId(`err-${prefix}-_form`);
    box.textContent = '';
    box.append(h('strong', {}, 'Error: '), d.message + (known || !field ? '' : ` (field \`${field}\`)`));
    if (d.hint) box.append(h('span', { class: 'hint' }, ' — ' + d.hint));
    box.hidden = false;
    const input = known ? byId(`${prefix}-${field}`) : null;
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    } else if (field === 'spec') {
      byId('spec-details').open = true;
      byId('spec-tops').focus();
    } else {
      box.setAttribute('tabindex', '-1');
      box.focus();
    }
  }

  function needKey(prefix) {
    if (apiKey()) return false;
    showError(prefix, { detail: { message: 'sign in with an API key first', hint: 'paste it in the API key field at the top of the page', field: null } });
    byId('api-key').focus();
    return true;
  }

  function busy(form, on) {
    form.querySelectorAll('button[type=submit]').forEach((b) => {
      b.disabled = on;
      b.setAttribute('aria-busy', on ? 'true' : 'false');
    });
  }

  /** The form's non-empty text values, by field name. */
  function values(form, names) {
    const out = {};
    for (const n of names) {
      const el = form.elements[n];
      if (!el) continue;
      const v = String(el.value || '').trim();
      if (v) out[n] = v;
    }
    return out;
  }

  function blobUrl(blob) {
    const u = URL.createObjectURL(blob);
    state.urls.push(u);
    return u;
  }

  function auditNote(seq) {
    return seq ? h('p', { class: 'audit' }, `Recorded in the audit log as record #${seq}.`) : null;
  }

  // ---------- signing in ----------

  function signedIn() {
    document.querySelector('.signed-out').hidden = true;
    document.querySelector('.signed-in').hidden = false;
    byId('who').textContent = 'Signed in with an API key (this tab only)';
  }

  function signedOut(detail) {
    try {
      sessionStorage.removeItem(KEY);
    } catch (_) {
      /* storage unavailable */
    }
    document.querySelector('.signed-out').hidden = false;
    document.querySelector('.signed-in').hidden = true;
    if (detail) showError('signin', { detail: { ...detail, field: 'key' } });
  }

  async function loadCatalog() {
    const { data } = await api('GET', '/v1/chips');
    state.chips = Array.isArray(data) ? data : [];
    const list = byId('chip-list');
    list.textContent = '';
    for (const c of state.chips) {
      list.append(h('option', { value: (c.aliases && c.aliases[0]) || c.name }, `${c.vendor} ${c.name}`));
    }
  }

  async function signIn(e) {
    e.preventDefault();
    clearErrors('signin');
    const k = byId('api-key').value.trim();
    if (!k) {
      showError('signin', { detail: { message: 'paste an API key', field: 'key' } });
      return;
    }
    try {
      sessionStorage.setItem(KEY, k);
    } catch (_) {
      showError('signin', { detail: { message: 'this browser does not allow session storage', field: 'key' } });
      return;
    }
    try {
      await loadCatalog();
      byId('api-key').value = '';
      signedIn();
      route();
    } catch (err) {
      if (err.status !== 401) showError('signin', { detail: { ...err.detail, field: 'key' } });
    }
  }

  // ---------- the chip card (catalog suggestions) ----------

  function findChip(q) {
    const s = q.trim().toLowerCase();
    if (!s) return null;
    return (
      state.chips.find((c) => c.name.toLowerCase() === s || (c.aliases || []).some((a) => a.toLowerCase() === s)) ||
      state.chips.find((c) => `${c.vendor} ${c.name}`.toLowerCase() === s)
    );
  }

  function chipCard() {
    const card = byId('check-chip-card');
    const c = findChip(byId('check-chip').value);
    card.textContent = '';
    if (!c) return;
    const m = c.metrics || {};
    const bits = [`${c.vendor} ${c.name}`];
    if (m.tpp != null) bits.push(`TPP ${fmtNumber(Math.round(m.tpp))}`);
    if (m.pd != null) bits.push(`performance density ${Number(m.pd).toFixed(2)}`);
    if (c.datacenter) bits.push('datacenter');
    card.append(bits.join(' · '));
  }

  // ---------- check ----------

  const CHECK_FIELDS = ['chip', 'to', 'buyer', 'buyer_hq', 'end_use', 'date', 'view', 'scenario', 'count'];

  function specFromForm() {
    const n = (id) => {
      const v = byId(id).value.trim();
      return v === '' ? undefined : Number.isFinite(Number(v)) ? Number(v) : v;
    };
    const tops = n('spec-tops');
    if (tops === undefined) return null;
    const [format, bits] = byId('spec-format').value.split(':');
    const spec = {
      name: byId('spec-name').value.trim() || 'Unnamed chip',
      vendor: byId('spec-vendor').value.trim() || 'Unknown vendor',
      datacenter: byId('spec-dc').checked,
      throughput: [{ format, tops, bits: Number(bits) }],
    };
    const die = n('spec-die');
    const mem = n('spec-mem');
    const io = n('spec-io');
    if (die !== undefined) spec.die_area_mm2 = die;
    if (mem !== undefined) spec.memory_bw_gbs = mem;
    if (io !== undefined) spec.interconnect_bw_gbs = io;
    return spec;
  }

  function checkRequest(form) {
    const req = values(form, CHECK_FIELDS);
    if (req.view === 'enforced') delete req.view;
    if (req.count !== undefined && /^\d+$/.test(req.count)) req.count = Number(req.count);
    const spec = specFromForm();
    if (spec) req.spec = spec;
    return req;
  }

  const shq = (s) => "'" + String(s).replace(/'/g, "'\\''") + "'";
  const shWord = (s) => (/^[A-Za-z0-9._\/:=-]+$/.test(String(s)) ? String(s) : shq(s));

  function curlFor(method, path, body) {
    const base = location.origin;
    const parts = ['curl -sS', method === 'GET' ? '' : `-X ${method}`, shq(base + path), '-H \'Authorization: Bearer \'"$CHIPGATE_KEY"'];
    if (body !== undefined) parts.push("-H 'Content-Type: application/json'", '-d ' + shq(JSON.stringify(body)));
    return parts.filter(Boolean).join(' ');
  }

  function cliForCheck(req) {
    const a = ['chipgate check'];
    if (req.chip) a.push('--chip ' + shWord(req.chip));
    if (req.spec) a.push('--spec chip.json');
    if (req.count !== undefined) a.push('--count ' + req.count);
    a.push('--to ' + shWord(req.to || ''));
    for (const [k, flag] of [['buyer', '--buyer'], ['buyer_hq', '--buyer-hq'], ['end_use', '--end-use'], ['date', '--date'], ['view', '--view']]) {
      if (req[k] !== undefined) a.push(`${flag} ${shWord(req[k])}`);
    }
    if (req.scenario) a.push(`--scenario scenarios/${shWord(req.scenario)}.toml`);
    let text = a.join(' ');
    if (req.spec) text = `cat > chip.json <<'EOF'\n${JSON.stringify(req.spec, null, 2)}\nEOF\n` + text;
    return text;
  }

  async function copyText(text, status) {
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = 'Copied.';
    } catch (_) {
      status.textContent = 'Select the text above and copy it (the browser refused clipboard access).';
    }
  }

  function equivalents(curl, cli) {
    const status = h('p', { class: 'copied', role: 'status' });
    const block = (title, text) =>
      h('div', { class: 'equiv' },
        h('h3', {}, title),
        h('pre', { tabindex: '0' }, h('code', {}, text)),
        h('button', { type: 'button', onclick: () => copyText(text, status) }, 'Copy ' + title.toLowerCase()));
    return h('details', { class: 'equivalents' },
      h('summary', {}, 'Copy as curl / CLI'),
      block('curl command', curl),
      cli ? block('CLI command', cli) : null,
      status);
  }

  function permalink(tab, params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '' && typeof v !== 'object') q.set(k, v);
    const hash = `#${tab}` + (q.toString() ? '?' + q.toString() : '');
    history.replaceState(null, '', hash);
    return location.href;
  }

  function findingsTable(caption, rows) {
    if (!rows || !rows.length) return null;
    return h('div', { class: 'scroll' },
      h('table', {},
        h('caption', {}, caption),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Rule'), h('th', { scope: 'col' }, 'Citation'), h('th', { scope: 'col' }, 'Why (evidence)'))),
        h('tbody', {}, rows.map((f) =>
          h('tr', {},
            h('td', {}, h('code', {}, f.rule || f.exception || f.id || ''), f.event ? h('div', { class: 'muted' }, f.event) : null,
              f.certain === false ? h('div', { class: 'muted' }, 'depends on a missing fact') : null),
            h('td', {}, f.citation || ''),
            h('td', {}, f.detail || f.summary || ''))))));
  }

  function list(caption, items, cls) {
    if (!items || !items.length) return null;
    return h('div', { class: 'block ' + (cls || '') }, h('h3', {}, caption), h('ul', {}, items.map((i) => h('li', {}, typeof i === 'string' ? i : `${i.rule ? i.rule + ': ' : ''}${i.detail || JSON.stringify(i)}`))));
  }

  function screeningTable(parties) {
    if (!parties || !parties.length) return null;
    const rows = [];
    for (const p of parties) {
      if (!p.hits || !p.hits.length) {
        rows.push(h('tr', {}, h('td', {}, words(p.role)), h('td', {}, p.name), h('td', {}, words(p.status)), h('td', { colspan: '3' }, 'no hit')));
      }
      for (const hit of p.hits || []) {
        rows.push(h('tr', {},
          h('td', {}, words(p.role)), h('td', {}, p.name), h('td', {}, words(p.status)),
          h('td', {}, hit.list), h('td', {}, `${hit.name} (${hit.entry_id})`),
          h('td', { class: 'n' }, Number(hit.score).toFixed(2))));
      }
    }
    return h('div', { class: 'scroll' }, h('table', {},
      h('caption', {}, 'Screening of the parties'),
      h('thead', {}, h('tr', {}, ['Role', 'Name', 'Status', 'List', 'Entry', 'Score'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows)));
  }

  function decisionBanner(d, subtitle) {
    return h('div', { class: 'decision ' + d },
      h('span', { class: 'label' }, 'Decision'),
      h('strong', { class: 'big', id: 'decision-text' }, words(d)),
      subtitle ? h('span', { class: 'sub' }, subtitle) : null);
  }

  function renderCheck(req, data, seq) {
    const out = byId('check-result');
    out.textContent = '';
    const dest = data.destination || req.to;
    const link = permalink('check', req);
    const subtitle = `${data.chip} → ${dest}, as of ${data.date} (${data.view === 'law' ? 'law as written' : 'as enforced'})` +
      (data.scenarios && data.scenarios.length ? `, scenario ${data.scenarios.join(', ')}` : '');
    const heading = h('h2', { tabindex: '-1', id: 'check-answer' }, 'Answer');
    put(out,
      heading,
      decisionBanner(data.decision, subtitle),
      h('p', { class: 'meta' },
        `ECCN ${data.eccn || 'none'}`,
        data.review_policy ? ` · licence review policy: ${words(data.review_policy)}` : '',
        data.determined === false ? ' · not determined: facts are missing' : '',
        data.uncertain_reading ? ' · UNCERTAIN reading' : ''),
      auditNote(seq),
      h('p', { class: 'links' }, h('a', { href: link }, 'Permalink to this question')),
      equivalents(curlFor('POST', '/v1/check', req), cliForCheck(req)),
      h('h3', {}, 'Deciding rules'),
      findingsTable('Prohibitions', data.prohibitions),
      findingsTable('Licence requirements', data.requirements),
      findingsTable('BIS authorization needed', data.escalations),
      findingsTable('Licence exceptions', data.exceptions),
      findingsTable('Licence review', data.review),
      (data.prohibitions || []).length + (data.requirements || []).length + (data.escalations || []).length + (data.exceptions || []).length === 0
        ? h('p', {}, 'No requirement, prohibition or exception applies.')
        : null,
      list('Missing facts', data.missing_facts, 'missing'),
      findingsTable('Red flags', data.red_flags),
      findingsTable('Readings the sources do not settle', data.uncertain),
      screeningTable(data.screening),
      list('Warnings', data.warnings, 'warnings'),
      findingsTable('Notes', data.notes),
      data.not_applicable && data.not_applicable.length
        ? h('details', {}, h('summary', {}, `Rules in force that do not apply (${data.not_applicable.length})`), findingsTable('Not applicable', data.not_applicable))
        : null);
    heading.focus();
  }

  async function submitCheck(e) {
    e.preventDefault();
    const form = e.currentTarget;
    clearErrors('check');
    if (needKey('check')) return;
    const req = checkRequest(form);
    if (!req.to) {
      showError('check', { detail: { message: 'give a destination country code (e.g. CN)', field: 'to' } });
      return;
    }
    if (!req.chip && !req.spec) {
      showError('check', { detail: { message: 'give a catalog chip, or describe the chip (at least its throughput)', field: 'chip' } });
      return;
    }
    busy(form, true);
    try {
      const { data, seq } = await api('POST', '/v1/check', { json: req });
      renderCheck(req, data, seq);
    } catch (err) {
      byId('check-result').textContent = '';
      showError('check', err);
    } finally {
      busy(form, false);
    }
  }

  // ---------- screen ----------

  function explanation(x) {
    if (!x) return '';
    const pairs = (x.matched || []).map((m) => (m.query.toLowerCase() === m.candidate.toLowerCase() ? m.query : `${m.query}≈${m.candidate}`));
    return h('div', {},
      x.summary || '',
      pairs.length ? h('div', { class: 'muted' }, 'aligned: ' + pairs.join(', ')) : null,
      x.query_only && x.query_only.length ? h('div', { class: 'muted' }, 'only in the name: ' + x.query_only.join(', ')) : null,
      x.candidate_only && x.candidate_only.length ? h('div', { class: 'muted' }, 'only in the entry: ' + x.candidate_only.join(', ')) : null);
  }

  function provenance(hit) {
    const p = hit.provenance;
    const bits = [];
    if (p) {
      if (p.fr_citation) bits.push(p.fr_citation);
      if (p.fr_doc) bits.push('FR doc ' + p.fr_doc);
      if (p.effective_date) bits.push('effective ' + p.effective_date);
      else if (p.publication_date) bits.push('published ' + p.publication_date);
      if (p.confidence) bits.push('confidence ' + p.confidence);
    } else {
      if (hit.federal_register) bits.push(hit.federal_register);
      if (hit.start_date) bits.push('listed ' + hit.start_date);
    }
    if (hit.citation) bits.push(hit.citation);
    return bits.join(' · ');
  }

  function renderScreen(name, data, seq) {
    const hits = data.hits || [];
    return h('article', { class: 'screened' },
      h('h3', {}, name, ' ', h('span', { class: 'status ' + data.status }, words(data.status))),
      auditNote(seq),
      hits.length
        ? h('div', { class: 'scroll' }, h('table', {},
          h('caption', {}, `Hits for “${name}”`),
          h('thead', {}, h('tr', {}, ['List', 'Entry', 'Score', 'Why', 'Provenance', 'Effect'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, hits.map((x) => h('tr', { class: x.suppressed ? 'suppressed' : '' },
            h('td', {}, x.list),
            h('td', {}, h('strong', {}, x.name), x.matched_name && x.matched_name !== x.name ? h('div', { class: 'muted' }, 'matched: ' + x.matched_name) : null, h('div', { class: 'muted' }, x.entry_id + (x.country ? ' · ' + x.country : ''))),
            h('td', { class: 'n' }, Number(x.score).toFixed(2)),
            h('td', {}, explanation(x.explanation)),
            h('td', {}, provenance(x)),
            h('td', {}, x.effect_text || words(x.effect)))))))
        : h('p', {}, 'No hit on the lists.'),
      list('Warnings', data.warnings, 'warnings'));
  }

  async function submitScreen(e) {
    e.preventDefault();
    const form = e.currentTarget;
    clearErrors('screen');
    if (needKey('screen')) return;
    const v = values(form, ['country', 'date']);
    const names = byId('screen-name').value.split('\n').map((s) => s.trim()).filter(Boolean);
    if (!names.length) {
      showError('screen', { detail: { message: 'give a name to screen', field: 'name' } });
      return;
    }
    if (names.length > 200) {
      showError('screen', { detail: { message: `${names.length} names: screen at most 200 at a time`, field: 'name' } });
      return;
    }
    if (names.length === 1) permalink('screen', { name: names[0], ...v });
    const out = byId('screen-result');
    out.textContent = '';
    const heading = h('h2', { tabindex: '-1' }, `Screening ${names.length} name${names.length === 1 ? '' : 's'}`);
    const curl = curlFor('POST', '/v1/screen', { name: names[0], ...v });
    const cli = names.map((n) => `chipgate screen ${shq(n)}` + (v.country ? ` --country ${shWord(v.country)}` : '') + (v.date ? ` --date ${shWord(v.date)}` : '')).join('\n');
    put(out, heading, equivalents(curl, cli));
    busy(form, true);
    try {
      for (const name of names) {
        try {
          const { data, seq } = await api('POST', '/v1/screen', { json: { name, ...v } });
          put(out, renderScreen(name, data, seq));
        } catch (err) {
          if (err.detail && err.detail.field === 'name') err.detail.message = `“${name}”: ${err.detail.message}`;
          showError('screen', err);
          if (err.detail && err.detail.field !== 'name') break;
        }
      }
      heading.focus();
    } finally {
      busy(form, false);
    }
  }

  // ---------- order book ----------

  function totalsTable(r) {
    const scenarios = r.scenarios || [];
    const decisions = [];
    for (const col of r.totals || []) for (const t of col) if (!decisions.includes(t.decision)) decisions.push(t.decision);
    const cell = (col, d) => {
      const t = (col || []).find((x) => x.decision === d);
      return t ? `${fmtNumber(t.orders)} orders (${fmtUsd(t.value_usd)})` : '—';
    };
    return h('div', { class: 'scroll' }, h('table', { id: 'orders-totals' },
      h('caption', {}, 'Totals by decision'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Decision'), scenarios.map((s) => h('th', { scope: 'col' }, s.id === 'baseline' ? 'Baseline (the rules as they are)' : `Scenario ${s.id}`)))),
      h('tbody', {}, decisions.map((d) => h('tr', {}, h('th', { scope: 'row', class: d }, words(d)), (r.totals || []).map((col) => h('td', {}, cell(col, d))))))));
  }

  function renderOrders(file, data, seq) {
    const r = data.report || {};
    const s = r.stats || {};
    const out = byId('orders-result');
    out.textContent = '';
    const csvUrl = blobUrl(new Blob([data.csv || ''], { type: 'text/csv' }));
    const htmlUrl = blobUrl(new Blob([data.html || ''], { type: 'text/html' }));
    const base = (file.name || 'orders').replace(/\.[^.]*$/, '');
    const heading = h('h2', { tabindex: '-1', id: 'orders-answer' }, `Report: ${r.input || file.name}`);
    put(out,
      heading,
      h('p', { class: 'meta', id: 'orders-summary' },
        `${fmtNumber(s.orders_evaluated)} orders evaluated, ${fmtNumber(s.rejected)} rows rejected (of ${fmtNumber(s.rows_read)} read); ${r.mode || ''}; view: ${r.view || ''}.`,
        r.scenarios && r.scenarios.length > 1 ? ` ${fmtNumber(r.flips_total)} orders flip under the scenario.` : ''),
      auditNote(seq),
      totalsTable(r),
      h('p', { class: 'links' },
        h('a', { href: csvUrl, download: `${base}-results.csv`, class: 'button' }, 'Download the per-order CSV'), ' ',
        h('a', { href: htmlUrl, download: `${base}-report.html`, class: 'button' }, 'Download the HTML report')),
      h('iframe', { class: 'report', title: 'The order-book report', sandbox: '', srcdoc: data.html || '' }));
    heading.focus();
  }

  function submitOrders(e) {
    e.preventDefault();
    const form = e.currentTarget;
    clearErrors('orders');
    if (needKey('orders')) return;
    const file = byId('orders-file').files[0];
    if (!file) {
      showError('orders', { detail: { message: 'choose an order-book file (CSV with a header row)', field: 'order_book' } });
      return;
    }
    const q = new URLSearchParams(values(form, ['scenario', 'as_of']));
    q.set('name', file.name);
    const bar = byId('orders-bar');
    const text = byId('orders-progress-text');
    byId('orders-progress').hidden = false;
    byId('orders-result').textContent = '';
    bar.value = 0;
    text.textContent = `Uploading ${file.name}…`;
    busy(form, true);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/v1/orders/report?' + q.toString());
    xhr.setRequestHeader('Authorization', 'Bearer ' + apiKey());
    xhr.setRequestHeader('Content-Type', /\.(jsonl|ndjson)$/i.test(file.name) ? 'application/x-ndjson' : 'text/csv');
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable) bar.value = Math.round((100 * ev.loaded) / ev.total);
    };
    xhr.upload.onload = () => {
      bar.removeAttribute('value');
      text.textContent = `Evaluating ${file.name} against the rules…`;
    };
    const done = () => {
      busy(form, false);
      byId('orders-progress').hidden = true;
    };
    xhr.onerror = () => {
      done();
      showError('orders', { detail: { message: 'the upload failed: the server cannot be reached', field: 'order_book' } });
    };
    xhr.onload = async () => {
      done();
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          renderOrders(file, JSON.parse(xhr.responseText), xhr.getResponseHeader('x-audit-seq'));
        } catch (err) {
          showError('orders', { detail: { message: 'the answer could not be read: ' + err.message, field: null } });
        }
        return;
      }
      const detail = await errorOf(xhr.status, xhr.responseText);
      if (xhr.status === 401) signedOut(detail);
      if (xhr.status === 413 && !detail.field) detail.field = 'order_book';
      showError('orders', { detail });
    };
    xhr.send(file);
  }

  // ---------- rules: timeline ----------

  const day = 86400000;
  const toDate = (s) => new Date(s + 'T00:00:00Z');
  const iso = (d) => d.toISOString().slice(0, 10);

  function renderTimeline(q, data, seq) {
    const out = byId('timeline-result');
    out.textContent = '';
    const segs = data.segments || [];
    const start = toDate(data.from).getTime();
    const end = toDate(data.to).getTime() + day;
    const span = Math.max(end - start, day);
    const bar = h('div', { class: 'bar', role: 'img', 'aria-label': 'Decision over time: ' + segs.map((s) => `${words(s.decision)} from ${s.from}`).join('; ') },
      segs.map((s) => {
        const a = toDate(s.from).getTime();
        const b = s.until ? toDate(s.until).getTime() : end;
        const w = (100 * (Math.min(b, end) - Math.max(a, start))) / span;
        return h('span', { class: 'seg ' + s.decision, style: `width:${w.toFixed(3)}%`, title: `${s.from}: ${words(s.decision)}` });
      }));
    const heading = h('h3', { tabindex: '-1' }, `${data.chip} to ${data.destination || q.to}, ${data.from} to ${data.to}`);
    put(out,
      heading,
      auditNote(seq),
      bar,
      h('div', { class: 'scroll' }, h('table', {},
        h('caption', {}, 'Decision over time'),
        h('thead', {}, h('tr', {}, ['From', 'Until', 'Decision', 'ECCN', 'Deciding rules', 'Changed by'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, segs.map((s) => h('tr', {},
          h('td', {}, s.from), h('td', {}, s.until || '—'),
          h('td', { class: s.decision }, words(s.decision), s.determined === false ? ' (facts missing)' : ''),
          h('td', {}, s.eccn), h('td', {}, (s.rules || []).join(', ')),
          h('td', {}, (s.changed_by || []).map((c) => (typeof c === 'string' ? c : c.title || c.id || c.event || JSON.stringify(c))).join('; ')))))))
      , equivalents(curlFor('GET', '/v1/timeline?' + new URLSearchParams(q).toString()),
        'chipgate timeline --chip ' + shWord(q.chip) + ' --to ' + shWord(q.to) + (q.buyer_hq ? ' --buyer-hq ' + shWord(q.buyer_hq) : '') + (q.from ? ' --from ' + q.from : '') + (q.to_date ? ' --to-date ' + q.to_date : '') + (q.scenario ? ` --scenario scenarios/${q.scenario}.toml` : '')));
    heading.focus();
  }

  async function submitTimeline(e) {
    e.preventDefault();
    const form = e.currentTarget;
    clearErrors('timeline');
    if (needKey('timeline')) return;
    const q = values(form, ['chip', 'to', 'buyer_hq', 'from', 'to_date', 'scenario']);
    if (!q.chip) return showError('timeline', { detail: { message: 'give a chip', field: 'chip' } });
    if (!q.to) return showError('timeline', { detail: { message: 'give a destination', field: 'to' } });
    permalink('rules', { tl_chip: q.chip, tl_to: q.to, tl_buyer_hq: q.buyer_hq, tl_from: q.from, tl_to_date: q.to_date, tl_scenario: q.scenario });
    busy(form, true);
    try {
      const { data, seq } = await api('GET', '/v1/timeline?' + new URLSearchParams(q).toString());
      renderTimeline(q, data, seq);
    } catch (err) {
      byId('timeline-result').textContent = '';
      showError('timeline', err);
    } finally {
      busy(form, false);
    }
  }

  // ---------- rules: threshold map ----------

  const MAP_FIRST = '2022-10-07';

  function setupSlider() {
    const slider = byId('map-slider');
    const first = toDate(MAP_FIRST).getTime();
    const today = toDate(iso(new Date())).getTime();
    slider.max = String(Math.round((today - first) / day));
    slider.value = slider.max;
    const sync = () => {
      const d = iso(new Date(first + Number(slider.value) * day));
      byId('map-slider-out').textContent = d;
      slider.setAttribute('aria-valuetext', d);
      byId('map-date').value = d;
    };
    sync();
    slider.addEventListener('input', () => {
      sync();
      clearTimeout(state.mapTimer);
      state.mapTimer = setTimeout(() => byId('map-form').requestSubmit(), 350);
    });
    byId('map-date').addEventListener('change', () => {
      const v = byId('map-date').value.trim();
      if (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(toDate(v).getTime())) {
        slider.value = String(Math.round((toDate(v).getTime() - first) / day));
        byId('map-slider-out').textContent = v;
      }
    });
  }

  async function submitMap(e) {
    e.preventDefault();
    const form = e.currentTarget;
    clearErrors('map');
    if (needKey('map')) return;
    const q = values(form, ['date', 'to']);
    busy(form, true);
    try {
      const { data } = await api('GET', '/v1/map?' + new URLSearchParams(q).toString(), { blob: true });
      const out = byId('map-result');
      out.textContent = '';
      out.append(h('img', { src: blobUrl(data), alt: `3A090 threshold map as of ${q.date || 'today'}: chips placed by TPP and performance density` + (q.to ? `, coloured by the decision for ${q.to}` : '') }));
    } catch (err) {
      showError('map', err);
    } finally {
      busy(form, false);
    }
  }

  // ---------- rules: in force and diff ----------

  /** A provision's standing on a date, in words (`{"standing": "ended", "ended": …}` → "ended …"). */
  function standing(st) {
    if (!st || typeof st !== 'object') return words(st || 'not encoded');
    switch (st.standing) {
      case 'active': return 'in force';
      case 'not_yet_effective': return `not yet effective (from ${st.starts})`;
      case 'ended': return `ended ${st.ended}`;
      case 'inactive': return `not in force (${words(st.status)})`;
      case 'replaced': return `replaced by ${st.by}`;
      case 'set_aside': return `set aside by ${st.by} (${words(st.status)})`;
      default: return words(st.standing);
    }
  }

  function provisionsTable(caption, rows) {
    return h('div', { class: 'scroll' }, h('table', {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, ['Rule', 'Type', 'Citation', 'Effective', 'Until', 'Standing'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.map((p) => h('tr', {},
        h('td', {}, h('code', {}, p.id), p.event ? h('div', { class: 'muted' }, p.event) : null),
        h('td', {}, words(p.type)), h('td', {}, p.citation || ''), h('td', {}, p.effective || ''), h('td', {}, p.until || '—'),
        h('td', {}, standing(p.standing)))))));
  }

  async function submitRules(e) {
    e.preventDefault();
    const form = e.currentTarget;
    clearErrors('rules');
    if (needKey('rules')) return;
    const v = values(form, ['date', 'since', 'view']);
    busy(form, true);
    const out = byId('rules-result');
    try {
      const now = await api('GET', '/v1/rules?' + new URLSearchParams({ ...(v.date ? { date: v.date } : {}), view: v.view }).toString());
      let before = null;
      if (v.since) {
        try {
          before = await api('GET', '/v1/rules?' + new URLSearchParams({ date: v.since, view: v.view }).toString());
        } catch (err) {
          if (err.detail && err.detail.field === 'date') err.detail.field = 'since';
          throw err;
        }
      }
      permalink('rules', { date: v.date, since: v.since, view: v.view === 'enforced' ? undefined : v.view });
      out.textContent = '';
      const provs = now.data.provisions || [];
      const inForce = provs.filter((p) => p.in_force);
      const heading = h('h3', { tabindex: '-1' }, `${inForce.length} provisions in force on ${now.data.date}`);
      out.append(heading);
      if (before) {
        // A rule id can have several versions (each with its own dates): pair them by both.
        const vkey = (p) => `${p.id}|${p.effective || ''}|${p.citation || ''}`;
        const old = new Map((before.data.provisions || []).map((p) => [vkey(p), p]));
        const changed = provs.filter((p) => {
          const o = old.get(vkey(p));
          return !o || o.in_force !== p.in_force || standing(o.standing) !== standing(p.standing);
        });
        out.append(h('div', { class: 'scroll' }, h('table', { id: 'rules-diff' },
          h('caption', {}, `What changed between ${before.data.date} and ${now.data.date}`),
          h('thead', {}, h('tr', {}, ['Rule', 'Citation', `On ${before.data.date}`, `On ${now.data.date}`].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, changed.length
            ? changed.map((p) => h('tr', {}, h('td', {}, h('code', {}, p.id)), h('td', {}, p.citation || ''),
              h('td', {}, standing((old.get(vkey(p)) || {}).standing)), h('td', {}, standing(p.standing))))
            : h('tr', {}, h('td', { colspan: '4' }, 'Nothing changed.'))))));
      }
      out.append(provisionsTable('In force', inForce));
      const other = provs.filter((p) => !p.in_force);
      if (other.length) out.append(h('details', {}, h('summary', {}, `Not in force on that date (${other.length})`), provisionsTable('Not in force', other)));
      heading.focus();
    } catch (err) {
      out.textContent = '';
      showError('rules', err);
    } finally {
      busy(form, false);
    }
  }

  // ---------- tabs and permalinks ----------

  const TABS = ['check', 'screen', 'orders', 'rules'];

  function fill(form, params, map) {
    for (const [k, v] of params) {
      const name = map ? map[k] : k;
      const el = name && form.elements[name];
      if (el && el.type !== 'file') el.value = v;
    }
  }

  function route() {
    const raw = location.hash.replace(/^#/, '');
    const [tabName, query] = raw.split('?');
    const tab = TABS.includes(tabName) ? tabName : 'check';
    for (const t of TABS) byId('tab-' + t).hidden = t !== tab;
    document.querySelectorAll('[data-tab]').forEach((a) => {
      if (a.dataset.tab === tab) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    const params = new URLSearchParams(query || '');
    if (![...params.keys()].length) return;
    if (tab === 'check') {
      fill(byId('check-form'), params);
      chipCard();
      if (apiKey() && params.get('to')) byId('check-form').requestSubmit();
    } else if (tab === 'screen') {
      fill(byId('screen-form'), params);
      if (apiKey() && params.get('name')) byId('screen-form').requestSubmit();
    } else if (tab === 'rules') {
      fill(byId('timeline-form'), params, { tl_chip: 'chip', tl_to: 'to', tl_buyer_hq: 'buyer_hq', tl_from: 'from', tl_to_date: 'to_date', tl_scenario: 'scenario' });
      fill(byId('rules-form'), params, { date: 'date', since: 'since', view: 'view' });
      if (apiKey() && params.get('tl_chip')) byId('timeline-form').requestSubmit();
      if (apiKey() && (params.get('date') || params.get('since'))) byId('rules-form').requestSubmit();
    }
  }

  async function loadConfig() {
    try {
      const resp = await fetch('/ui/config.json', { cache: 'no-store' });
      const cfg = await resp.json();
      state.scenarios = cfg.scenarios || [];
    } catch (_) {
      state.scenarios = [];
    }
    document.querySelectorAll('.scenario-select').forEach((sel) => {
      for (const s of state.scenarios) sel.append(h('option', { value: s }, s));
    });
  }

  async function start() {
    byId('signin').addEventListener('submit', signIn);
    byId('signout').addEventListener('click', () => {
      signedOut(null);
      byId('api-key').focus();
    });
    byId('check-form').addEventListener('submit', submitCheck);
    byId('screen-form').addEventListener('submit', submitScreen);
    byId('orders-form').addEventListener('submit', submitOrders);
    byId('timeline-form').addEventListener('submit', submitTimeline);
    byId('map-form').addEventListener('submit', submitMap);
    byId('rules-form').addEventListener('submit', submitRules);
    byId('check-chip').addEventListener('input', chipCard);
    window.addEventListener('hashchange', route);
    setupSlider();
    await loadConfig();
    if (apiKey()) {
      try {
        await loadCatalog();
        signedIn();
      } catch (_) {
        /* signedOut() has shown why */
      }
    }
    route();
    document.body.dataset.ready = 'true';
  }

  document.addEventListener('DOMContentLoaded', start);
})();
