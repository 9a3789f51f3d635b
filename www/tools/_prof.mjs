import { fileURLToPath } from 'node:url';
import { startServer } from './serve.mjs';
import { launch } from './browser.mjs';
const srv = await startServer(fileURLToPath(new URL('../dist', import.meta.url)));
const { context } = await launch();
const page = context.pages()[0] ?? (await context.newPage());
await page.goto(srv.url);
await page.waitForSelector('body[data-ready="true"]');
await page.evaluate(() => {
  const { view } = window.__playground;
  const text = view.state.doc.toString();
  const at = text.indexOf('\n', text.indexOf('clientId: '));
  view.dispatch({ selection: { anchor: at } });
  view.focus();
});
const cdp = await context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
await cdp.send('Profiler.start');
for (let i = 0; i < 40; i++) { await page.keyboard.type('a'); await page.waitForTimeout(40); }
const { profile } = await cdp.send('Profiler.stop');
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas; 
profile.samples.forEach((id, i) => { const n = byId.get(id); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0)); });
const tot = [...self.values()].reduce((a, b) => a + b, 0);
console.log('total ms', tot / 1000);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log((v / 1000).toFixed(1), k);
await context.close(); srv.server.close();
