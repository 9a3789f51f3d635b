// End-to-end tests of the built playground (www/dist) in real headless Chromium (Debian's,
// through playwright-core), served from 127.0.0.1. Screenshots go to www/test-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer } from '../tools/serve.mjs';
import { launch } from '../tools/browser.mjs';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const artifacts = fileURLToPath(new URL('../test-artifacts', import.meta.url));
let srv;
let browser;
let page;
const pageErrors = [];

async function open(p, url) {
  p.on('pageerror', (e) => pageErrors.push(e.message));
  await p.goto(url);
  await p.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
}

/**
 * Selects `needle` in the editor (the part `[from, to)` of its first occurrence, default all
 * of it) and focuses the editor.
 */
async function select(p, needle, from = 0, to = needle.length) {
  const ok = await p.evaluate(
    ([needle, from, to]) => {
      const { view } = window.__playground;
      const at = view.state.doc.toString().indexOf(needle);
      if (at < 0) return false;
      view.dispatch({ selection: { anchor: at + from, head: at + to }, scrollIntoView: true });
      view.focus();
      return true;
    },
    [needle, from, to],
  );
  assert.ok(ok, `"${needle}" is in the editor`);
}

/** Types with real key events and waits for the check that follows the last keystroke. */
async function type(p, text) {
  const runs = Number(await p.evaluate(() => document.body.dataset.runs));
  await p.keyboard.type(text);
  await p.waitForFunction((n) => Number(document.body.dataset.runs) > n && window.__playground.timings.at(-1), runs);
  await p.waitForTimeout(30);
}

const editorText = (p) => p.evaluate(() => window.__playground.view.state.doc.toString());
const diagnostics = (p) => p.evaluate(() => window.__playground.report.documents.flatMap((d) => d.diagnostics));

/** The text under each error squiggle (adjacent mark spans joined). */
const squiggles = (p, cls = 'cm-lintRange-error') =>
  p.evaluate((cls) => {
    const out = [];
    let last = null;
    for (const el of document.querySelectorAll(`.cm-content .${cls}`)) {
      if (last && last.nextSibling === el) out[out.length - 1] += el.textContent;
      else out.push(el.textContent);
      last = el;
    }
    return out;
  }, cls);

before(async () => {
  assert.ok(existsSync(`${dist}/index.html`), 'www/dist is built (scripts/build-web.sh)');
  mkdirSync(artifacts, { recursive: true });
  srv = await startServer(dist);
  browser = await launch({ colorScheme: 'light' });
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await open(page, srv.url);
});

after(async () => {
  await browser?.context.close();
  srv?.server.close();
});

test('opens on the multi-upstream example, which is valid', async () => {
  const report = await page.evaluate(() => window.__playground.report);
  assert.ok(report.documents.length >= 1);
  assert.ok(report.documents.every((d) => d.valid), JSON.stringify(report.documents.map((d) => d.diagnostics)));
  const ups = (await editorText(page)).match(/^\s+- name: /gm).length;
  assert.ok(ups >= 2 + 2, 'several upstreams (and secret refs)');
  assert.match(await page.textContent('#verdict-headline'), /would accept/);
  assert.match(await page.textContent('#version'), /core \d+\.\d+\.\d+ · profile 2026-08/);
  assert.deepEqual(await squiggles(page), []);
});

test('an invalid name gets a squiggle under exactly that text and an S-04 entry', async () => {
  // Non-ASCII text before the name: the squiggle must still sit exactly on it (UTF-16).
  await page.evaluate(() => window.__playground.view.dispatch({ changes: { from: 0, insert: '# café 😀 中文 🔐\n' } }));
  await select(page, 'okta-prod');
  await type(page, 'Okta_Prod');
  assert.deepEqual(await squiggles(page), ['Okta_Prod']);
  const d = (await diagnostics(page)).find((x) => x.rule === 'S-04');
  assert.ok(d, 'S-04 in the report');
  const entry = page.locator('#diagnostics li[data-rule="S-04"]');
  assert.equal(await entry.count(), 1);
  assert.match(await entry.textContent(), /admission/);
  assert.match(await entry.textContent(), /ToolHive says/);
  assert.match(await page.textContent('#summary li[data-layer="admission"]'), /error/);
  assert.match(await page.textContent('#verdict-headline'), /stop at admission/);
  // The lint gutter marks the line.
  assert.ok((await page.locator('.cm-lint-marker-error').count()) >= 1);
  // Drop the non-ASCII line again (this machine's fonts lack those glyphs: screenshots).
  await page.evaluate(() => {
    const { view } = window.__playground;
    view.dispatch({ changes: { from: 0, to: view.state.doc.line(1).to + 1 } });
  });
  await page.waitForFunction(() => !window.__playground.view.state.doc.line(1).text.includes('café'));
  assert.deepEqual(await squiggles(page), ['Okta_Prod']);
});

test('clicking a diagnostic jumps to its text', async () => {
  await page.click('#diagnostics li[data-rule="S-04"] button.jump');
  const sel = await page.evaluate(() => {
    const { view } = window.__playground;
    const r = view.state.selection.main;
    return view.state.sliceDoc(r.from, r.to);
  });
  assert.equal(sel, 'Okta_Prod');
});

test('the quick fix repairs the name', async () => {
  const runs = Number(await page.evaluate(() => document.body.dataset.runs));
  await page.click('#diagnostics li[data-rule="S-04"] button.fix');
  await page.waitForFunction((n) => Number(document.body.dataset.runs) > n, runs);
  assert.match(await editorText(page), /- name: okta-prod\n/);
  assert.equal((await diagnostics(page)).filter((d) => d.severity === 'error').length, 0);
  assert.deepEqual(await squiggles(page), []);
});

test('renaming a provider changes its env var in the derived table', async () => {
  await page.click('#tab-derived');
  const table = page.locator('#env-table');
  assert.match(await table.textContent(), /TOOLHIVE_UPSTREAM_CLIENT_SECRET_GITHUB/);
  await select(page, '- name: github\n', '- name: '.length, '- name: github'.length);
  await type(page, 'gh-enterprise');
  const text = await table.textContent();
  assert.match(text, /TOOLHIVE_UPSTREAM_CLIENT_SECRET_GH_ENTERPRISE/);
  assert.doesNotMatch(text, /TOOLHIVE_UPSTREAM_CLIENT_SECRET_GITHUB/);
  assert.match(text, /TOOLHIVE_UPSTREAM_CLIENT_SECRET_OKTA_PROD/);
  assert.match(await page.textContent('#run-config'), /"gh-enterprise"/);
});

test('a second upstream named default is a startup error (RT-08)', async () => {
  await select(page, 'okta-prod');
  await type(page, 'default');
  const d = (await diagnostics(page)).find((x) => x.rule === 'RT-08');
  assert.ok(d, 'RT-08 reported');
  assert.equal(d.layer, 'startup');
  await page.click('#tab-problems'); // a hidden panel is rendered when its tab is selected
  const entry = page.locator('#diagnostics li[data-rule="RT-08"]');
  assert.equal(await entry.count(), 1);
  assert.equal(await entry.getAttribute('data-layer'), 'startup');
  assert.match(await page.getAttribute('#summary li[data-layer="startup"]', 'class'), /fail/);
  assert.match(await page.textContent('#summary li[data-layer="startup"]'), /crash-loops/);
  assert.ok((await squiggles(page)).includes('default'));
  // The Kubewarden policy with default settings rejects it (startup is a reject layer).
  await page.click('#tab-kubewarden');
  assert.match(await page.textContent('#kw-outcome'), /Rejected by the policy/);
  await page.fill('#kw-settings', '{"rejectLayers": ["reconcile"], "warnLayers": ["startup", "advice"]}');
  assert.match(await page.textContent("#kw-outcome"), /Accepted with 1 warning/);
  assert.match(await page.textContent('#kw-policy'), /module: registry:\/\/ghcr\.io\/mcpauth-guard\/policies\/mcpauth-guard:v0\.1\.0/);
  assert.match(await page.textContent('#kw-policy'), /warnLayers:\n\s+- startup/);
  await page.fill('#kw-settings', '{"rejectLayer": []}');
  assert.match(await page.textContent('#kw-settings-problems'), /did you mean "rejectLayers"/);
  // The policy module itself answers, its own rules (POL-xx) included.
  await page.fill('#kw-settings', '{"maxUpstreamProviders": 1}');
  assert.match(await page.textContent('#kw-verdict'), /\[POL-\d+\] spec\.embeddedAuthServer\.upstreamProviders/);
});

test('screenshots: light and dark', async () => {
  await page.click('#tab-problems');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${artifacts}/playground-light.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${artifacts}/playground-dark.png` });
  await page.click('#tab-derived');
  await page.screenshot({ path: `${artifacts}/playground-derived-dark.png` });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.click('#tab-kubewarden');
  await page.fill('#kw-settings', '{\n  "rejectLayers": ["reconcile", "build", "startup", "consumer"],\n  "warnLayers": ["advice"]\n}');
  await page.screenshot({ path: `${artifacts}/playground-kubewarden-light.png` });
  await page.click('#tab-problems');
});

test('consumer selector and workload context change the check', async () => {
  await page.click('#tab-problems');
  await page.selectOption('#consumer', 'MCPServer');
  await page.waitForFunction(() => window.__playground.report.documents[0].diagnostics.some((d) => d.layer === 'consumer'));
  assert.match(await page.getAttribute('#summary li[data-layer="consumer"]', 'class'), /fail/);
  assert.ok((await page.locator('#diagnostics li[data-layer="consumer"]').count()) >= 1);
  await page.selectOption('#consumer', '');
  await page.click('#context summary');
  await page.fill('#ctx-resourceUrl', 'https://mcp.example.com');
  await page.click('#tab-derived');
  assert.match(await page.textContent('#run-config'), /"allowed_audiences": \[\s*"https:\/\/mcp\.example\.com"/);
  await page.fill('#ctx-resourceUrl', '');
  await page.click('#context summary');
  await page.click('#tab-problems');
});

test('the share link reopens the same document', async () => {
  const text = await editorText(page);
  await page.selectOption('#consumer', 'VirtualMCPServer');
  await page.click('#share');
  await page.waitForFunction(() => location.hash.startsWith('#s='));
  const link = await page.evaluate(() => location.href);
  assert.ok(link.startsWith(srv.url), 'the link points at this server; the state is in the fragment');
  const fresh = await launch({ colorScheme: 'light' });
  try {
    const p2 = fresh.context.pages()[0] ?? (await fresh.context.newPage());
    await open(p2, link);
    assert.equal(await editorText(p2), text);
    assert.equal(await p2.inputValue('#consumer'), 'VirtualMCPServer');
    assert.deepEqual(fresh.offsite, []);
  } finally {
    await fresh.context.close();
  }
});

test('autosave restores the document after a reload', async () => {
  const text = await editorText(page);
  await page.waitForTimeout(400);
  await page.evaluate(() => history.replaceState(null, '', location.pathname));
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await editorText(page), text);
});

test('the name → env var calculator explains invalid names', async () => {
  await page.click('#tab-tools');
  await page.fill('#calc-name', 'okta-prod');
  assert.equal(await page.textContent('#calc-result'), 'TOOLHIVE_UPSTREAM_CLIENT_SECRET_OKTA_PROD');
  await page.fill('#calc-name', 'Okta_Prod');
  assert.match(await page.textContent('#calc-error'), /upper-case/);
  await page.click('#calc-out button');
  assert.equal(await page.inputValue('#calc-name'), 'okta-prod');
});

test('keyboard: tabs move with the arrow keys; every control is reachable', async () => {
  await page.focus('#tab-tools');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-problems');
  assert.equal(await page.getAttribute('#tab-problems', 'aria-selected'), 'true');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-tools');
  // Tab from the top reaches every control of the toolbar in order.
  await page.focus('#example');
  const seen = [];
  for (let i = 0; i < 5; i++) {
    seen.push(await page.evaluate(() => document.activeElement.id));
    await page.keyboard.press('Tab');
  }
  assert.deepEqual(seen, ['example', 'profile', 'consumer', 'share', 'theme']);
  // The theme toggle cycles auto → light → dark.
  await page.focus('#theme');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), undefined);
});

test('the examples menu has at least 8 examples, valid and broken', async () => {
  const options = await page.$$eval('#example option', (os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(options.length >= 8, options.join(', '));
  const broken = options.find((o) => o.includes('-broken'));
  assert.ok(broken);
  await page.selectOption('#example', broken);
  await page.waitForFunction(() => window.__playground.report?.documents.some((d) => !d.valid));
});

test('no request left 127.0.0.1 and no page error', () => {
  assert.deepEqual(browser.offsite, []);
  assert.deepEqual(pageErrors, []);
  assert.ok(srv.requests.some((r) => r.endsWith('.wasm')));
});

test('profile 2026-08 (the default) serves v1alpha1 with the deprecation warning; v0.13 is selectable', async () => {
  const doc = [
    'apiVersion: toolhive.stacklok.dev/v1alpha1',
    'kind: MCPExternalAuthConfig',
    'metadata: {name: p, namespace: default}',
    'spec:',
    '  type: embeddedAuthServer',
    '  embeddedAuthServer:',
    '    issuer: https://auth.example.com',
    '    upstreamProviders:',
    '      - name: okta',
    '        type: oidc',
    '        oidcConfig: {issuerUrl: "https://example.okta.com", clientId: c, redirectUri: "https://m.example.com/oauth/callback"}',
    '',
  ].join('\n');
  await page.evaluate((text) => {
    const { view } = window.__playground;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  }, doc);
  await page.selectOption('#profile', '2026-08');
  await page.waitForFunction(() => window.__playground.report?.profile === '2026-08');
  await page.waitForFunction(() =>
    window.__playground.report.documents.flatMap((d) => d.diagnostics).some((d) => d.rule === 'DOC-03'),
  );
  assert.match(await page.textContent('#version'), /profile 2026-08/);
  const d = (await diagnostics(page)).find((x) => x.rule === 'DOC-03');
  assert.equal(d.toolhive, 'Warning: toolhive.stacklok.dev/v1alpha1 is deprecated; use v1beta1');
  await page.selectOption('#profile', 'v0.13');
  await page.waitForFunction(() => window.__playground.report?.profile === 'v0.13');
  assert.ok(!(await diagnostics(page)).some((x) => x.rule === 'DOC-03'), 'no deprecation at v0.13');
  // An example written for v0.13 selects its profile; one for the default profile selects that.
  await page.selectOption('#profile', '2026-08');
  await page.selectOption('#example', 'examples/v0.13/oidc-single.yaml');
  await page.waitForFunction(() => window.__playground.report?.profile === 'v0.13');
  assert.ok((await page.evaluate(() => window.__playground.report)).documents.every((d) => d.valid));
  assert.match(await page.textContent('#version'), /profile v0\.13/);
  await page.selectOption('#example', 'examples/oidc-single.yaml');
  await page.waitForFunction(() => window.__playground.report?.profile === '2026-08');
  assert.ok((await page.evaluate(() => window.__playground.report)).documents.every((d) => d.valid));
});
