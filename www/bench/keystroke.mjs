// Browser benchmark (not a test): keystroke-to-diagnostics time in the built playground, in
// headless Chromium, for the two-upstream example and for 100 upstreams.
//
//   node bench/keystroke.mjs [keystrokes]     (after scripts/build-web.sh)
//
// Each keystroke is a real key event appended to the first upstream's clientId, one every
// 40 ms, so that every keystroke changes the report (the run config's client_id); the time is from the keydown event to the end of the check and of the
// rendering of every panel (squiggles, summary, diagnostics, derived tables, Kubewarden
// verdict), as recorded by the page. Paint is not included.
import { fileURLToPath } from 'node:url';
import { startServer } from '../tools/serve.mjs';
import { launch } from '../tools/browser.mjs';

const KEYS = Number(process.argv[2] ?? 60);
const WARMUP = 5;
const dist = fileURLToPath(new URL('../dist', import.meta.url));

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, median: q(0.5), p95: q(0.95), min: s[0], max: s[s.length - 1] };
}

const srv = await startServer(dist);
const { context, offsite } = await launch();
const page = context.pages()[0] ?? (await context.newPage());
await page.goto(srv.url);
await page.waitForSelector('body[data-ready="true"]');

const rows = [];
for (const [label, exampleId] of [
  ['two upstreams (examples/multi-upstream.yaml)', 'examples/multi-upstream.yaml'],
  ['100 upstreams', 'builtin:many'],
]) {
  await page.selectOption('#example', exampleId);
  await page.waitForFunction(() => window.__playground.report);
  const info = await page.evaluate(() => {
    const { view } = window.__playground;
    const text = view.state.doc.toString();
    const at = text.indexOf('\n', text.indexOf('clientId: '));
    view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
    view.focus();
    return { chars: view.state.doc.length, lines: view.state.doc.lines };
  });
  await page.waitForTimeout(100);
  const before = await page.evaluate(() => window.__playground.timings.length);
  for (let i = 0; i < KEYS; i++) {
    await page.keyboard.type(String.fromCharCode(97 + (i % 26)));
    await page.waitForTimeout(40);
  }
  const timings = await page.evaluate((n) => window.__playground.timings.slice(n), before);
  const keyed = timings.filter((t) => t.keyToDiagnosticsMs !== null).slice(WARMUP);
  const k = stats(keyed.map((t) => t.keyToDiagnosticsMs));
  const c = stats(keyed.map((t) => t.checkedMs));
  const e = stats(keyed.map((t) => t.keyToChangeMs));
  rows.push({ label, ...info, k, c, e });
}
await context.close();
srv.server.close();
if (offsite.length) throw new Error(`requests left 127.0.0.1: ${offsite.join(', ')}`);

const version = (await import('node:child_process')).execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim();
console.log(`Keystroke-to-diagnostics in the playground (${version}, headless, ${KEYS} keystrokes, first ${WARMUP} dropped)\n`);
console.log('| document | size | median | p95 | max | of which: editor input → change | check + render (median) |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(
    `| ${r.label} | ${r.lines} lines, ${(r.chars / 1024).toFixed(1)} KB | ${r.k.median.toFixed(2)} ms | ${r.k.p95.toFixed(2)} ms | ${r.k.max.toFixed(2)} ms | ${r.e.median.toFixed(2)} ms | ${r.c.median.toFixed(2)} ms |`,
  );
}
