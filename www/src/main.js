// The playground: a CodeMirror editor checked on every change by the mcpauth-guard npm
// package (WebAssembly), with panels for the diagnostics, what ToolHive would do at each
// layer, what the operator would generate, and the Kubewarden policy's verdict.
import {
  init,
  check,
  clientSecretEnvVar,
  profiles as listProfiles,
  layers as listLayers,
  version as coreVersion,
  ParseError,
  InvalidNameError,
} from 'mcpauth-guard';
import { EditorView, basicSetup } from 'codemirror';
import { EditorState } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { yaml } from '@codemirror/lang-yaml';
import { setDiagnostics, lintGutter } from '@codemirror/lint';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { stringify as toYaml } from 'yaml';

import './style.css';
import { EXAMPLES, DEFAULT_EXAMPLE } from './examples.js';
import { fixEdit } from './fix.js';
import { encodeState, decodeState, loadSaved, save, loadTheme, saveTheme } from './share.js';
import { settingsOf, review, clusterAdmissionPolicy, DEFAULT_SETTINGS } from './kubewarden.js';
import { PolicyHost } from './policy-host.js';
// The Kubewarden policy module itself (scripts/build-web.sh builds it when it is missing).
import policyUrl from '../../policy/policy.wasm?url';

const $ = (id) => document.getElementById(id);

/** Builds an element: h('li', {class: 'x', onclick}, child, 'text', …). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const DEFAULT_KW_SETTINGS = JSON.stringify(
  { rejectLayers: DEFAULT_SETTINGS.rejectLayers, warnLayers: DEFAULT_SETTINGS.warnLayers },
  null,
  2,
);

const SEVERITY_ICON = { error: '✖', warning: '▲', info: 'ℹ' };

/** What happens at each layer when nothing fails there. */
const PASSES = {
  admission: 'the API server stores it',
  reconcile: 'the controller marks it Valid',
  build: 'the operator builds the workload',
  startup: 'the auth server starts',
  consumer: 'the workloads accept the config',
  policy: 'your policy settings allow it',
  advice: 'nothing risky found',
};

let view;
let profileList = [];
let layerList = [];
let lastReport = null;
let lastParseError = null;
let keyAt = null;
let changedAt = null;
let runScheduled = false;
let saveTimer = null;
const timings = [];

// ---- state ---------------------------------------------------------------------------------

function options() {
  const scopes = $('ctx-scopes').value.trim();
  return {
    profile: $('profile').value || undefined,
    consumer: $('consumer').value || undefined,
    namespace: $('ctx-namespace').value.trim() || undefined,
    workload: $('ctx-workload').value.trim() || undefined,
    resourceUrl: $('ctx-resourceUrl').value.trim() || undefined,
    scopes: scopes ? scopes.split(/[\s,]+/).filter(Boolean) : undefined,
  };
}

function currentState() {
  return {
    text: view.state.doc.toString(),
    profile: $('profile').value,
    consumer: $('consumer').value,
    namespace: $('ctx-namespace').value,
    workload: $('ctx-workload').value,
    resourceUrl: $('ctx-resourceUrl').value,
    scopes: $('ctx-scopes').value,
    kwSettings: $('kw-settings').value,
    example: $('example').value,
  };
}

function applyStateToControls(s) {
  const setIf = (id, v) => {
    if (typeof v === 'string') $(id).value = v;
  };
  if (s.profile && profileList.some((p) => p.id === s.profile && p.available)) $('profile').value = s.profile;
  if (['', 'MCPServer', 'MCPRemoteProxy', 'VirtualMCPServer'].includes(s.consumer)) $('consumer').value = s.consumer;
  setIf('ctx-namespace', s.namespace);
  setIf('ctx-workload', s.workload);
  setIf('ctx-resourceUrl', s.resourceUrl);
  setIf('ctx-scopes', s.scopes);
  setIf('kw-settings', s.kwSettings);
  if (s.example && EXAMPLES.some((e) => e.id === s.example)) $('example').value = s.example;
  else $('example').value = '';
  if ([s.namespace, s.workload, s.resourceUrl, s.scopes].some((v) => v)) $('context').open = true;
}

function scheduleSave() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => save(currentState()), 300);
}

// ---- checking ------------------------------------------------------------------------------

function scheduleRun() {
  if (runScheduled) return;
  runScheduled = true;
  queueMicrotask(() => {
    runScheduled = false;
    run(false);
  });
}

/** Converts a 1-based line and character column to an editor position. */
function posOfLineColumn(doc, line, column) {
  const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
  let pos = l.from;
  let chars = 1;
  for (const ch of l.text) {
    if (chars >= column) break;
    pos += ch.length;
    chars++;
  }
  return pos;
}

function diagnosticRange(doc, d, docStartLine) {
  const len = doc.length;
  if (d.offset !== undefined) {
    const from = Math.min(d.offset, len);
    const to = Math.min(Math.max(d.endOffset ?? d.offset, from), len);
    return { from, to };
  }
  const line = d.line ?? docStartLine ?? 1;
  const from = posOfLineColumn(doc, line, d.column ?? 1);
  return { from, to: from };
}

/** Panels whose content is stale because they were hidden at the last run. */
const stale = new Set();
let lastKey = null;
/** What the squiggles and panels show now (JSON keys). */
const shown = { diagnostics: null, derived: null };

/** Renders a tab panel now when it is visible, else when its tab is selected. */
function renderPanel(id, render) {
  if ($(id).hidden) stale.add(id);
  else {
    stale.delete(id);
    render(lastReport);
  }
}

const PANELS = {
  'panel-problems': (r) => renderDiagnostics(r),
  'panel-derived': (r) => renderDerived(r),
  'panel-kubewarden': (r) => renderKubewarden(r),
};

/**
 * Checks the document and updates squiggles and panels. With `force` false (an edit), a
 * report identical to the last one (an edit in a comment, say) changes nothing on screen:
 * the editor has already mapped the squiggles through the edit.
 */
function run(force = true) {
  const started = performance.now();
  const text = view.state.doc.toString();
  lastParseError = null;
  let report = null;
  try {
    report = check(text, options());
  } catch (e) {
    if (e instanceof ParseError) lastParseError = e;
    else {
      lastParseError = { message: e.message, line: undefined, column: undefined };
    }
  }
  lastReport = report;
  const key = report ? JSON.stringify(report) : `parse ${lastParseError.line}:${lastParseError.column} ${lastParseError.message}`;
  if (!force && key === lastKey) {
    finishRun(started, report);
    return;
  }
  lastKey = key;
  const cmDiagnostics = [];
  const doc = view.state.doc;
  if (report) {
    report.documents.forEach((document, di) => {
      for (const d of document.diagnostics) {
        const { from, to } = diagnosticRange(doc, d, document.line);
        cmDiagnostics.push({
          from,
          to,
          severity: d.severity,
          source: `${d.rule} · ${d.layer}`,
          message: d.message + (d.toolhive ? `\nToolHive: ${d.toolhive}` : '') + (d.hint ? `\nHint: ${d.hint}` : ''),
          actions: d.fix ? [{ name: `Fix: ${fixLabel(d.fix)}`, apply: () => applyFix(di, d) }] : undefined,
        });
      }
    });
  } else if (lastParseError) {
    const from = lastParseError.line ? posOfLineColumn(doc, lastParseError.line, lastParseError.column ?? 1) : 0;
    cmDiagnostics.push({ from, to: Math.min(from + 1, doc.length), severity: 'error', source: 'parse', message: lastParseError.message });
  }
  // Each part is redrawn only when what it shows changed (typing in a value usually changes
  // the run config only).
  const diagKey = JSON.stringify(report ? report.documents.map((d) => d.diagnostics) : key);
  if (force || diagKey !== shown.diagnostics) {
    view.dispatch(setDiagnostics(view.state, cmDiagnostics));
    renderSummary(report);
    $('problem-count').textContent = String(report ? report.documents.reduce((n, d) => n + d.diagnostics.length, 0) : 1);
    shown.diagnostics = diagKey;
    stale.add('panel-problems');
    stale.add('panel-kubewarden');
  }
  const derivedKey = JSON.stringify(report ? report.documents.map((d) => [d.kind, d.name, d.line, d.derived]) : key);
  if (force || derivedKey !== shown.derived) {
    shown.derived = derivedKey;
    stale.add('panel-derived');
  }
  for (const [id, render] of Object.entries(PANELS)) if (force || stale.has(id)) renderPanel(id, render);
  finishRun(started, report);
}

function finishRun(started, report) {
  const ended = performance.now();
  const status = report
    ? `${report.documents.length} document${report.documents.length === 1 ? '' : 's'} checked in ${(ended - started).toFixed(1)} ms`
    : `Cannot parse: ${lastParseError.message}`;
  $('status').textContent = status;
  const timing = {
    checkedMs: ended - started,
    keyToDiagnosticsMs: keyAt !== null ? ended - keyAt : null,
    keyToChangeMs: keyAt !== null && changedAt !== null ? changedAt - keyAt : null,
  };
  keyAt = null;
  changedAt = null;
  timings.push(timing);
  if (timings.length > 500) timings.shift();
  document.body.dataset.runs = String(Number(document.body.dataset.runs ?? 0) + 1);
}

// ---- quick fixes ---------------------------------------------------------------------------

function fixLabel(fix) {
  return typeof fix.value === 'object' && fix.value !== null ? `add ${fix.path.split('.').pop()}` : `${JSON.stringify(fix.value)}`;
}

function applyFix(docIndex, d) {
  const text = view.state.doc.toString();
  const edit = fixEdit(text, docIndex, d.fix);
  if (!edit) {
    toast('This fix cannot be applied to the current text.');
    return;
  }
  view.dispatch({
    changes: edit,
    selection: { anchor: edit.from, head: edit.from + edit.insert.length },
    scrollIntoView: true,
    userEvent: 'input.fix',
  });
  view.focus();
}

// ---- rendering -----------------------------------------------------------------------------

function renderSummary(report) {
  const list = $('summary');
  list.replaceChildren();
  if (!report) {
    list.append(h('li', { class: 'layer fail' }, h('strong', {}, 'Cannot parse the input'), ' — nothing reaches ToolHive.'));
    return;
  }
  const all = report.documents.flatMap((doc) => doc.diagnostics);
  const shown = layerList.filter((l) => l.id !== 'policy' || all.some((d) => d.layer === 'policy'));
  const first = shown.find((l) => all.some((d) => d.layer === l.id && d.severity === 'error'));
  list.append(
    h(
      'li',
      { class: `headline ${first ? 'fail' : 'pass'}`, id: 'verdict-headline' },
      first
        ? [h('strong', {}, `ToolHive would stop at ${first.id}: `), first.consequence + '.']
        : [h('strong', {}, 'ToolHive would accept and run this. '), all.some((d) => d.severity === 'warning') ? 'See the advice below.' : ''],
    ),
  );
  for (const l of shown) {
    const ds = all.filter((d) => d.layer === l.id);
    const errors = ds.filter((d) => d.severity === 'error').length;
    const warnings = ds.filter((d) => d.severity === 'warning').length;
    const infos = ds.length - errors - warnings;
    const state = errors ? 'fail' : warnings ? 'warn' : 'pass';
    const counts = [errors && `${errors} error${errors > 1 ? 's' : ''}`, warnings && `${warnings} warning${warnings > 1 ? 's' : ''}`, infos && `${infos} note${infos > 1 ? 's' : ''}`]
      .filter(Boolean)
      .join(', ');
    const rules = [...new Set(ds.map((d) => d.rule))];
    list.append(
      h(
        'li',
        { class: `layer ${state}`, dataset: { layer: l.id } },
        h('span', { class: 'mark', 'aria-hidden': 'true' }, errors ? '✖' : warnings ? '▲' : '✓'),
        h('span', { class: 'name' }, l.id),
        h(
          'span',
          { class: 'what', title: `When ToolHive fails here: ${l.consequence}` },
          errors || warnings
            ? `${counts}: ${errors || l.id === 'advice' ? l.consequence : 'accepted with warnings'}`
            : `passes: ${PASSES[l.id] ?? 'no problem'}${counts ? ` (${counts})` : ''}`,
        ),
        rules.length ? h('span', { class: 'rules' }, rules.join(' ')) : null,
      ),
    );
  }
}

function jumpTo(d, docStartLine) {
  const { from, to } = diagnosticRange(view.state.doc, d, docStartLine);
  view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
  view.focus();
}

function renderDiagnostics(report) {
  const ul = $('diagnostics');
  ul.replaceChildren();
  if (!report) {
    $('problem-count').textContent = '1';
    ul.append(
      h(
        'li',
        { class: 'diag error' },
        h('button', { type: 'button', class: 'jump', onclick: () => jumpTo({ line: lastParseError.line, column: lastParseError.column }) },
          h('span', { class: 'sev' }, SEVERITY_ICON.error), h('span', { class: 'msg' }, lastParseError.message)),
      ),
    );
    return;
  }
  const total = report.documents.reduce((n, d) => n + d.diagnostics.length, 0);
  $('problem-count').textContent = String(total);
  if (!total) {
    ul.append(h('li', { class: 'empty' }, '✓ No problems: every layer passes.'));
    return;
  }
  const many = report.documents.length > 1;
  report.documents.forEach((doc, di) => {
    if (many) {
      ul.append(h('li', { class: 'dochead' }, `${doc.kind}${doc.name ? ` ${doc.name}` : ''}`, h('span', { class: 'muted' }, ` · line ${doc.line} · ${doc.valid ? 'valid' : 'invalid'}`)));
    }
    for (const d of doc.diagnostics) {
      const details = [
        d.toolhive ? h('div', { class: 'toolhive' }, h('span', { class: 'label' }, 'ToolHive says'), h('code', {}, d.toolhive)) : null,
        d.hint ? h('div', { class: 'hint' }, h('span', { class: 'label' }, 'Hint'), d.hint) : null,
        d.also?.length
          ? h('div', { class: 'also' }, h('span', { class: 'label' }, 'Then'), d.also.map((a) => `${a.rule} (${a.layer})${a.toolhive ? `: ${a.toolhive}` : ''}`).join('; '))
          : null,
      ];
      ul.append(
        h(
          'li',
          { class: `diag ${d.severity}`, dataset: { rule: d.rule, layer: d.layer } },
          h(
            'button',
            { type: 'button', class: 'jump', title: 'Show in editor', onclick: () => jumpTo(d, doc.line) },
            h('span', { class: 'sev', title: d.severity }, SEVERITY_ICON[d.severity]),
            h('span', { class: 'sr' }, d.severity + ' '),
            h('span', { class: 'rule' }, d.rule),
            h('span', { class: `layer-tag l-${d.layer}` }, d.layer),
            h('span', { class: 'msg' }, d.message),
            h('span', { class: 'path' }, d.path || '(document)', d.line ? ` · ${d.line}:${d.column}` : ''),
          ),
          ...details,
          d.fix
            ? h('button', { type: 'button', class: 'fix', onclick: () => applyFix(di, d) }, `Quick fix: ${fixLabel(d.fix)}`)
            : null,
        ),
      );
    }
  });
}

function copyButton(getText, label = 'Copy') {
  return h('button', { type: 'button', class: 'copy', onclick: () => copy(getText()) }, label);
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    toast('Copied to the clipboard');
  } catch {
    const ta = h('textarea', { class: 'offscreen' });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    toast(ok ? 'Copied to the clipboard' : 'Copy failed: select the text and copy it by hand');
  }
}

function renderDerived(report) {
  const select = $('derived-doc');
  const box = $('derived');
  const docs = report ? report.documents.map((d, i) => ({ d, i })).filter(({ d }) => d.derived) : [];
  const previous = select.value;
  select.replaceChildren(...docs.map(({ d, i }) => h('option', { value: String(i) }, `${d.kind} ${d.name ?? ''} (line ${d.line})`)));
  select.disabled = docs.length < 2;
  if (docs.some(({ i }) => String(i) === previous)) select.value = previous;
  box.replaceChildren();
  if (!docs.length) {
    box.append(h('p', { class: 'muted' }, report ? 'Nothing derived: the operator would not build a workload from this input (fix the build-layer errors, or check an embeddedAuthServer config).' : 'Nothing derived: the input does not parse.'));
    return;
  }
  const doc = report.documents[Number(select.value || docs[0].i)];
  const { env, volumes, volumeMounts, runConfig } = doc.derived;
  box.append(
    h('div', { class: 'copyhead' }, h('h3', {}, `Environment variables (${env.length})`), copyButton(() => toYaml(env))),
    env.length
      ? h(
          'table',
          { class: 'env', id: 'env-table' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Secret'), h('th', { scope: 'col' }, 'Key'))),
          h('tbody', {}, env.map((e) => h('tr', {}, h('td', {}, h('code', {}, e.name)), h('td', {}, e.valueFrom?.secretKeyRef?.name ?? ''), h('td', {}, e.valueFrom?.secretKeyRef?.key ?? '')))),
        )
      : h('p', { class: 'muted' }, 'No environment variables.'),
    h('div', { class: 'copyhead' }, h('h3', {}, `Volumes (${volumes.length})`), copyButton(() => toYaml({ volumes, volumeMounts }))),
    volumes.length
      ? h(
          'table',
          { class: 'volumes' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Volume'), h('th', { scope: 'col' }, 'Secret → file'), h('th', { scope: 'col' }, 'Mounted at'))),
          h(
            'tbody',
            {},
            volumes.map((v) => {
              const mount = volumeMounts.find((m) => m.name === v.name);
              return h(
                'tr',
                {},
                h('td', {}, h('code', {}, v.name)),
                h('td', {}, v.secret.items.map((it) => `${v.secret.secretName}/${it.key} → ${it.path}`).join(', ')),
                h('td', {}, mount ? h('code', {}, mount.mountPath) : ''),
              );
            }),
          ),
        )
      : h('p', { class: 'muted' }, 'No volumes.'),
    h('div', { class: 'copyhead' }, h('h3', {}, 'Run config'), copyButton(() => JSON.stringify(runConfig, null, 2))),
    h('pre', { class: 'code', tabindex: '0', id: 'run-config' }, JSON.stringify(runConfig, null, 2)),
  );
}

/** The policy module, once compiled (null before, while loading, or when it failed to load). */
let policy = null;
let policyLoading = false;
let policyLoadError = null;

/** Fetches and compiles the policy module (390 KB) the first time the Kubewarden tab shows. */
function loadPolicy() {
  if (policyLoading) return;
  policyLoading = true;
  PolicyHost.load(fetch(policyUrl))
    .then((p) => {
      policy = p;
    })
    .catch((e) => {
      policyLoadError = e.message;
    })
    .finally(() => renderPanel('panel-kubewarden', PANELS['panel-kubewarden']));
}

function renderKubewarden(report) {
  const settingsText = $('kw-settings').value;
  $('kw-policy').textContent = clusterAdmissionPolicy(settingsOf(settingsText));
  const box = $('kw-verdict');
  box.replaceChildren();
  const showProblems = (problems) => {
    $('kw-settings-problems').replaceChildren(...problems.map((p) => h('p', { class: 'problem' }, '✖ ', p)));
    $('kw-settings').setAttribute('aria-invalid', problems.length ? 'true' : 'false');
  };
  if (!policy) {
    loadPolicy();
    showProblems([]);
    box.append(h('p', { class: 'muted', id: 'kw-loading' }, policyLoadError ? `The policy module could not be loaded: ${policyLoadError}` : 'Loading the policy module…'));
    return;
  }
  const reviewed = report ? review(policy, view.state.doc.toString(), settingsText) : null;
  showProblems(reviewed?.settingsProblems ?? []);
  if (reviewed?.settingsProblems.length) {
    box.append(h('p', { class: 'verdict fail' }, 'The policy refuses these settings (validate_settings), so it would not be deployed.'));
    return;
  }
  if (!reviewed) {
    box.append(h('p', { class: 'verdict fail' }, 'Rejected: the input cannot be parsed.'));
    return;
  }
  const docs = reviewed.documents;
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const count = (outcome) => docs.filter((d) => d.outcome === outcome).length;
  const warnings = docs.flatMap((d) => d.warnings);
  let outcome;
  if (!docs.length) outcome = h('p', { class: 'verdict pass', id: 'kw-outcome' }, 'Nothing to review: the policy reviews MCPExternalAuthConfig, MCPServer, MCPRemoteProxy and VirtualMCPServer objects.');
  else if (count('refused-by-api-server')) outcome = h('p', { class: 'verdict fail', id: 'kw-outcome' }, `Refused by the API server before the policy runs (${plural(docs.reduce((n, d) => n + d.admission.length, 0), 'admission error')}).`);
  else if (count('failed')) outcome = h('p', { class: 'verdict fail', id: 'kw-outcome' }, 'The policy fails on this input (policy-server answers 500 and the request is refused).');
  else if (count('rejected')) outcome = h('p', { class: 'verdict fail', id: 'kw-outcome' }, `Rejected by the policy (${plural(count('rejected'), 'object')}).`);
  else outcome = h('p', { class: 'verdict pass', id: 'kw-outcome' }, `Accepted${warnings.length ? ` with ${plural(warnings.length, 'warning')}` : ''}.`);
  box.append(outcome);
  const words = { 'refused-by-api-server': 'refused by the API server', rejected: 'rejected', accepted: 'accepted', failed: 'the policy fails' };
  box.append(
    h('p', { class: 'muted small' }, 'Each object is its own admission request, answered by the policy module itself:'),
    h('ul', { class: 'kw-list' }, docs.map((d) => h('li', {},
      h('strong', {}, `${d.kind} ${d.name}`), `: ${words[d.outcome]}`,
      d.admission.length ? h('ul', {}, d.admission.map((x) => h('li', {}, h('code', {}, x.rule), ` ${x.message}`))) : null,
      d.message ? h('p', { class: 'kw-message' }, d.message) : null,
      d.warnings.length ? h('ul', { class: 'kw-warnings' }, d.warnings.map((w) => h('li', {}, '▲ ', w))) : null,
    ))),
  );
}

function renderCalculator() {
  const name = $('calc-name').value;
  const out = $('calc-out');
  out.replaceChildren();
  try {
    const env = clientSecretEnvVar(name);
    out.append(h('p', { class: 'calc ok' }, h('code', { id: 'calc-result' }, env), ' ', copyButton(() => env)));
  } catch (e) {
    if (!(e instanceof InvalidNameError)) throw e;
    out.append(
      h('p', { class: 'calc bad', id: 'calc-error' }, '✖ ', e.reason),
      e.suggestion
        ? h('button', { type: 'button', onclick: () => { $('calc-name').value = e.suggestion; renderCalculator(); } }, `Use "${e.suggestion}"`)
        : null,
    );
  }
}

// ---- chrome: tabs, theme, share, toast -----------------------------------------------------

function setupTabs() {
  const tabs = [...document.querySelectorAll('[role=tab]')];
  const select = (tab, focus) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute('aria-controls')).hidden = !on;
    }
    const panel = tab.getAttribute('aria-controls');
    if (stale.has(panel)) renderPanel(panel, PANELS[panel]);
    if (focus) tab.focus();
  };
  tabs.forEach((t, i) => {
    t.addEventListener('click', () => select(t, false));
    t.addEventListener('keydown', (e) => {
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      select(tabs[(next + tabs.length) % tabs.length], true);
    });
  });
}

function applyTheme(theme) {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  $('theme').textContent = `Theme: ${theme}`;
  $('theme').setAttribute('aria-label', `Colour theme: ${theme} (activate to change)`);
}

function setupTheme() {
  let theme = loadTheme();
  applyTheme(theme);
  $('theme').addEventListener('click', () => {
    theme = { auto: 'light', light: 'dark', dark: 'auto' }[theme];
    saveTheme(theme);
    applyTheme(theme);
  });
}

let toastTimer;
function toast(message) {
  const t = $('toast');
  t.textContent = message;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (t.hidden = true), 2500);
}

async function share() {
  const hash = await encodeState(currentState());
  history.replaceState(null, '', hash);
  await copy(location.href);
  toast(`Link copied (${location.href.length} characters; the document stays in the link, nothing is uploaded)`);
}

// ---- editor --------------------------------------------------------------------------------

const highlight = HighlightStyle.define([
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: 'var(--tok-key)' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--tok-string)' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--tok-atom)' },
  { tag: [tags.comment, tags.lineComment], color: 'var(--tok-comment)', fontStyle: 'italic' },
  { tag: [tags.meta, tags.keyword, tags.punctuation, tags.separator], color: 'var(--tok-punct)' },
]);

const editorTheme = EditorView.theme({
  '&': { height: '100%', backgroundColor: 'var(--editor-bg)', color: 'var(--fg)' },
  '.cm-content': { fontFamily: 'var(--mono)', caretColor: 'var(--fg)' },
  '.cm-gutters': { backgroundColor: 'var(--gutter-bg)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'var(--active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--active-line)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--selection) !important' },
  '.cm-cursor': { borderLeftColor: 'var(--fg)' },
  '.cm-tooltip': { backgroundColor: 'var(--panel-bg)', color: 'var(--fg)', border: '1px solid var(--border)' },
  '.cm-panels': { backgroundColor: 'var(--panel-bg)', color: 'var(--fg)' },
  '.cm-diagnostic': { whiteSpace: 'pre-wrap', maxWidth: '46em' },
  '.cm-diagnosticSource': { color: 'var(--muted)' },
  '.cm-searchMatch': { backgroundColor: 'var(--search)' },
});

function createEditor(text) {
  view = new EditorView({
    parent: $('editor'),
    state: EditorState.create({
      doc: text,
      extensions: [
        basicSetup,
        yaml(),
        lintGutter(),
        syntaxHighlighting(highlight),
        editorTheme,
        EditorView.contentAttributes.of({ 'aria-label': 'YAML document to check' }),
        keymap.of([]),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) {
            changedAt ??= performance.now();
            scheduleRun();
            scheduleSave();
            if ($('example').value && !u.transactions.some((t) => t.isUserEvent('input.example'))) $('example').value = '';
          }
        }),
      ],
    }),
  });
  // Keystroke-to-diagnostics timing (the benchmark reads it).
  view.contentDOM.addEventListener('keydown', () => (keyAt = performance.now()), { capture: true });
}

function setText(text, userEvent = 'input.example') {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: 0 }, userEvent });
}

// ---- boot ----------------------------------------------------------------------------------

async function main() {
  setupTheme();
  await init();
  profileList = listProfiles();
  layerList = listLayers();
  const defaultProfile = profileList.find((p) => p.default) ?? profileList[0];
  $('profile').replaceChildren(
    ...profileList.map((p) => h('option', { value: p.id, disabled: !p.available, title: p.revision }, p.available ? p.id : `${p.id} (not available yet)`)),
  );
  $('profile').value = defaultProfile.id;
  $('example').replaceChildren(
    h('option', { value: '' }, '(your document)'),
    ...EXAMPLES.map((e) => h('option', { value: e.id }, e.label)),
  );
  $('kw-settings').value = DEFAULT_KW_SETTINGS;

  const fromLink = await decodeState(location.hash);
  // Once opened, the link has done its job: later edits are autosaved, and a reload must show
  // them, not the link's state again.
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  const state = fromLink ?? loadSaved() ?? { text: DEFAULT_EXAMPLE.text, example: DEFAULT_EXAMPLE.id };
  createEditor(state.text);
  applyStateToControls(state);

  const showVersion = () => {
    const p = profileList.find((x) => x.id === $('profile').value);
    $('version').textContent = `core ${coreVersion} · profile ${p.id} · ${p.revision}`;
  };
  showVersion();

  setupTabs();
  $('example').addEventListener('change', () => {
    const e = EXAMPLES.find((x) => x.id === $('example').value);
    if (!e) return;
    // An example is written for a profile: the default one unless it says otherwise.
    $('profile').value = e.profile ?? defaultProfile.id;
    showVersion();
    setText(e.text);
  });
  for (const id of ['profile', 'consumer']) {
    $(id).addEventListener('change', () => {
      showVersion();
      run();
      scheduleSave();
    });
  }
  for (const id of ['ctx-namespace', 'ctx-workload', 'ctx-resourceUrl', 'ctx-scopes']) {
    $(id).addEventListener('input', () => {
      run();
      scheduleSave();
    });
  }
  $('derived-doc').addEventListener('change', () => renderDerived(lastReport));
  $('kw-settings').addEventListener('input', () => {
    renderPanel('panel-kubewarden', PANELS['panel-kubewarden']);
    scheduleSave();
  });
  $('calc-name').addEventListener('input', renderCalculator);
  $('share').addEventListener('click', share);
  for (const b of document.querySelectorAll('button.copy[data-copy]')) {
    b.addEventListener('click', () => copy($(b.dataset.copy).textContent));
  }
  window.addEventListener('hashchange', async () => {
    const s = await decodeState(location.hash);
    if (s) {
      setText(s.text, 'input.share');
      applyStateToControls(s);
      run();
    }
  });
  renderCalculator();
  run();
  document.body.dataset.ready = 'true';

  // Hooks for the end-to-end tests and the benchmark (read-only use).
  window.__playground = {
    view,
    timings,
    setText,
    get report() {
      return lastReport;
    },
  };
}

main().catch((e) => {
  $('status').textContent = `The playground failed to start: ${e.message}`;
  document.body.dataset.ready = 'error';
  throw e;
});
