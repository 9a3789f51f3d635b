// Side-by-side benchmark (not a test): from text to verdict,
//   A. mcpauth-guard's check(text) — every layer (schema, CEL, controller, operator, pod start-up);
//   B. yaml.parse / JSON.parse + ajv validating the same document against the CRD's
//      openAPIV3Schema (tests/data/crds/2026-08/mcpexternalauthconfigs.yaml, v1beta1: the default
//      profile's) — schema only.
// for 1, 2, 10 and 100 upstreams, YAML and JSON. Medians of many runs, ratio from the same run.
// Then: which problems of the broken examples ajv does not see.
//
//   bash scripts/build-web.sh --npm-only && (cd bench/node && npm ci && node compare-ajv.mjs)

import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Ajv from 'ajv';
import YAML from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const guard = await import(join(root, 'npm', 'pkg', 'node.js'));

// ---- the CRD schema as a JSON Schema ajv accepts --------------------------------------------
function toJsonSchema(node) {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('x-kubernetes-') || k === 'description' || k === 'nullable') continue;
    if (k === 'format') continue; // int32/int64 are not JSON Schema formats
    // Go's RE2 POSIX classes (used by the 2026-08 CRD) in JavaScript's syntax.
    if (k === 'pattern') { out[k] = v.replaceAll('[:space:]', '\\s'); continue; }
    out[k] = toJsonSchema(v);
  }
  return out;
}
const crd = YAML.parse(readFileSync(join(root, 'tests/data/crds/2026-08/mcpexternalauthconfigs.yaml'), 'utf8'));
const openapi = crd.spec.versions.find((v) => v.name === 'v1beta1').schema.openAPIV3Schema;
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(toJsonSchema(openapi));

// ---- documents ---------------------------------------------------------------------------
function doc(n) {
  const upstreams = [];
  for (let i = 0; i < n; i++) {
    upstreams.push(i % 2 === 0
      ? { name: `okta-${i}`, type: 'oidc', oidcConfig: { issuerUrl: `https://tenant-${i}.okta.com/oauth2/default`, clientId: `client-${i}`, clientSecretRef: { name: `okta-${i}`, key: 'client-secret' }, redirectUri: 'https://mcp.example.com/oauth/callback', scopes: ['openid', 'profile', 'email'] } }
      : { name: `github-${i}`, type: 'oauth2', oauth2Config: { authorizationEndpoint: 'https://github.com/login/oauth/authorize', tokenEndpoint: 'https://github.com/login/oauth/access_token', clientId: `client-${i}`, clientSecretRef: { name: `github-${i}`, key: 'client-secret' }, redirectUri: 'https://mcp.example.com/oauth/callback', userInfo: { endpointUrl: 'https://api.github.com/user' } } });
  }
  return {
    apiVersion: 'toolhive.stacklok.dev/v1beta1', kind: 'MCPExternalAuthConfig',
    metadata: { name: 'bench', namespace: 'default' },
    spec: { type: 'embeddedAuthServer', embeddedAuthServer: { issuer: 'https://auth.example.com', signingKeySecretRefs: [{ name: 'keys', key: 'current.pem' }], hmacSecretRefs: [{ name: 'hmac', key: 'current' }], upstreamProviders: upstreams } },
  };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median µs per call of each function, interleaved so both see the same machine state. */
function measure(fns, budgetMs = 600) {
  const samples = fns.map(() => []);
  for (const f of fns) for (let i = 0; i < 50; i++) f(); // warm-up
  const end = performance.now() + budgetMs;
  while (performance.now() < end) {
    fns.forEach((f, i) => {
      const reps = 20;
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) f();
      samples[i].push(((performance.now() - t0) * 1000) / reps);
    });
  }
  return samples.map(median);
}

guard.initSync?.();
const rows = [];
for (const n of [1, 2, 10, 100]) {
  const value = doc(n);
  const texts = { YAML: YAML.stringify(value), JSON: JSON.stringify(value, null, 2) };
  for (const [format, text] of Object.entries(texts)) {
    const parse = format === 'YAML' ? (t) => YAML.parse(t) : (t) => JSON.parse(t);
    // Sanity: both accept the valid document.
    if (!guard.check(text).documents[0].valid) throw new Error(`guard rejects the ${n}-upstream document`);
    if (!validate(parse(text))) throw new Error(`ajv rejects the ${n}-upstream document: ${ajv.errorsText(validate.errors)}`);
    const [g, a] = measure([() => guard.check(text), () => validate(parse(text))]);
    rows.push({ n, format, bytes: text.length, guard: g, ajv: a });
  }
}

console.log('| upstreams | format | bytes | mcpauth-guard check(text), µs | parse + ajv, µs | guard / ajv |');
console.log('|---:|---|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.n} | ${r.format} | ${r.bytes} | ${r.guard.toFixed(1)} | ${r.ajv.toFixed(1)} | ${(r.guard / r.ajv).toFixed(2)} |`);
}

// ---- what ajv misses -----------------------------------------------------------------------
console.log('\n| example | ajv errors | mcpauth-guard errors that ajv does not report |');
console.log('|---|---:|---|');
for (const f of readdirSync(join(root, 'examples')).filter((f) => f.includes('broken') && f.endsWith('.yaml')).sort()) {
  const text = readFileSync(join(root, 'examples', f), 'utf8');
  const docs = YAML.parseAllDocuments(text).map((d) => d.toJS());
  let ajvErrors = 0;
  for (const d of docs) if (d.kind === 'MCPExternalAuthConfig' && !validate(d)) ajvErrors += validate.errors.length;
  const report = guard.check(text);
  const missed = report.documents.flatMap((d) => d.diagnostics)
    .filter((d) => d.severity === 'error' && d.layer !== 'admission')
    .map((d) => `${d.rule} (${d.layer})`);
  console.log(`| ${f} | ${ajvErrors} | ${missed.join(', ') || '—'} |`);
}
