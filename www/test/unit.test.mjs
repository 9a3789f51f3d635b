// Unit tests of the playground's pure modules (quick fixes, share links, the Kubewarden
// decision), with the real core through the built npm package (npm/pkg).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { check } from 'mcpauth-guard';
import { fixEdit, applyEdit, parsePath, yamlScalar } from '../src/fix.js';
import { encodeState, decodeState, loadSaved, save } from '../src/share.js';
import { settingsOf, review, clusterAdmissionPolicy, DEFAULT_SETTINGS, KUBECTL_YAML } from '../src/kubewarden.js';
import { PolicyHost, GuestError, admissionRequest } from '../src/policy-host.js';

const example = (f) => readFileSync(new URL(`../../examples/${f}`, import.meta.url), 'utf8');
const rules = (report) => report.documents.flatMap((d) => d.diagnostics.map((x) => x.rule));

/** Applies every fix of the report once, last first, and returns the new text. */
function applyAll(text) {
  const report = check(text);
  const fixes = report.documents.flatMap((doc, i) => doc.diagnostics.filter((d) => d.fix).map((d) => ({ i, d })));
  assert.ok(fixes.length, 'the example has a certain fix');
  for (const { i, d } of fixes.reverse()) text = applyEdit(text, fixEdit(text, i, d.fix));
  return { text, rules: fixes.map((f) => f.d.rule) };
}

test('parsePath', () => {
  assert.deepEqual(parsePath('spec.embeddedAuthServer.upstreamProviders[1].name'), ['spec', 'embeddedAuthServer', 'upstreamProviders', 1, 'name']);
  assert.deepEqual(parsePath('upstreams[0][2]'), ['upstreams', 0, 2]);
  assert.deepEqual(parsePath(''), []);
});

test('yamlScalar reads back as the same value', () => {
  assert.equal(yamlScalar('okta-prod'), 'okta-prod');
  for (const v of ['true', 'null', '1.5', 'a: b', '#x', '', ' lead', 'x,y', '{a}']) assert.equal(yamlScalar(v), JSON.stringify(v));
});

test('S-04 and CT-08 fixes in YAML repair the name and the audience, and keep the rest of the text', () => {
  const before = example('oidc-single-broken.yaml');
  const { text, rules: fixed } = applyAll(before);
  assert.deepEqual(fixed.sort(), ['CT-08', 'S-04']);
  assert.ok(!rules(check(text)).some((r) => r === 'S-04' || r === 'CT-08'));
  assert.equal(
    text.replace('okta-prod', 'Okta_Prod').replace('audience: "https://fetch.mcp.example.com/mcp"', 'audience: fetch'),
    before,
  );
});

test('RT-09 fix in JSON keeps the text JSON', () => {
  const before = example('runconfig-broken.json');
  const { text } = applyAll(before);
  assert.doesNotThrow(() => JSON.parse(text));
  assert.ok(!rules(check(text)).includes('RT-09'));
});

test('a fix that adds a block re-prints only its document', () => {
  const text = '# first\na: 1\n---\n# second\nkind: X\nspec:\n  b: 2 # keep\n---\nz: 1\n';
  const edit = fixEdit(text, 1, { path: 'spec.userInfo', value: { endpointUrl: '' } });
  const out = applyEdit(text, edit);
  assert.ok(out.startsWith('# first\na: 1\n---\n'), out);
  assert.ok(out.endsWith('---\nz: 1\n'), out);
  assert.match(out, /spec:\n  b: 2 # keep\n  userInfo:\n    endpointUrl: ""\n/);
  const first = fixEdit(text, 0, { path: 'c.d', value: 1 });
  assert.equal(applyEdit(text, first).split('# first').length, 2, 'the leading comment is not duplicated');
});

test('a fix that adds a block quotes strings YAML 1.1 reads otherwise (kubectl, the core)', () => {
  const text = 'kind: X\nspec:\n  b: 2\n';
  const out = applyEdit(text, fixEdit(text, 0, { path: 'spec.add', value: { name: 'no', id: '0777', flag: 'on', ok: 'okta' } }));
  assert.match(out, /name: "no"\n/);
  assert.match(out, /id: "0777"\n/);
  assert.match(out, /flag: "on"\n/);
  assert.match(out, /ok: okta\n/);
  // A YAML 1.1 reader (kubectl) reads back the strings.
  assert.deepEqual(parse(out, { version: '1.1' }).spec.add, { name: 'no', id: '0777', flag: 'on', ok: 'okta' });
});

test('a fix on an unparsable document is refused', () => {
  assert.equal(fixEdit('a: [1\n', 0, { path: 'a', value: 1 }), null);
});

test('a fix lands in the document the report numbers (empty documents are not counted)', () => {
  const text = '---\n---\nkind: A\nname: github\n---\n~\n---\nkind: B\nname: Okta_Prod\n';
  const out = applyEdit(text, fixEdit(text, 1, { path: 'name', value: 'okta-prod' }));
  assert.equal(out, text.replace('Okta_Prod', 'okta-prod'));
});

test('a fix on a block scalar keeps the line that follows', () => {
  const text = 'upstreams:\n  - name: |-\n      Okta_Prod\n    type: oidc\n';
  const out = applyEdit(text, fixEdit(text, 0, { path: 'upstreams[0].name', value: 'okta-prod' }));
  assert.equal(out, 'upstreams:\n  - name: okta-prod\n    type: oidc\n');
});

test('a fix that adds a block to a JSON document keeps it JSON, with its indentation', () => {
  const text = '{\n    "kind": "X",\n    "spec": {\n        "b": 2\n    }\n}\n';
  const out = applyEdit(text, fixEdit(text, 0, { path: 'spec.userInfo', value: { endpointUrl: '' } }));
  assert.deepEqual(JSON.parse(out), { kind: 'X', spec: { b: 2, userInfo: { endpointUrl: '' } } });
  assert.match(out, /^\{\n    "kind": "X",\n    "spec": \{\n        "b": 2,/);
  assert.ok(out.endsWith('}\n'));
});

test('share links round-trip the state (non-ASCII included)', async () => {
  const state = { text: example('multi-upstream.yaml') + '# café 😀\n', consumer: 'VirtualMCPServer', kwSettings: '{}' };
  const hash = await encodeState(state);
  assert.match(hash, /^#s=[A-Za-z0-9_-]+$/);
  assert.ok(hash.length < state.text.length, 'compressed');
  assert.deepEqual(await decodeState(hash), state);
  assert.equal(await decodeState('#s=not-deflate'), null);
  assert.equal(await decodeState('#other'), null);
  // A deflate bomb (a small link that inflates past what the core reads) is refused early.
  const bomb = await encodeState({ text: 'a'.repeat(8 * 1024 * 1024) });
  assert.ok(bomb.length < 64 * 1024, `${bomb.length}`);
  assert.equal(await decodeState(bomb), null);
});

test('autosave storage round-trips and tolerates broken storage', () => {
  const m = new Map();
  const storage = { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => m.set(k, v) };
  save({ text: 'a: 1' }, storage);
  assert.deepEqual(loadSaved(storage), { text: 'a: 1' });
  const broken = { getItem: () => '{', setItem: () => { throw new Error('quota'); } };
  assert.equal(loadSaved(broken), null);
  assert.doesNotThrow(() => save({ text: '' }, broken));
});

const policy = await PolicyHost.load(readFileSync(new URL('../../policy/policy.wasm', import.meta.url)));

test('settings: the policy\'s own validate_settings, and the defaults for the manifest', () => {
  const problems = (text) => policy.validateSettings(text).message ?? '';
  assert.deepEqual(settingsOf(''), DEFAULT_SETTINGS);
  assert.equal(problems('{}'), '');
  const bad = problems('{"rejectLayer": [], "warnLayers": ["nope"], "profile": "v9", "maxUpstreamProviders": -1, "allowedUpstreamTypes": ["saml"]}');
  assert.match(bad, /did you mean "rejectLayers"/);
  assert.match(bad, /warnLayers\[0\] "nope" is not a layer/);
  assert.match(bad, /profile "v9" is unknown/);
  assert.match(bad, /maxUpstreamProviders must be a whole number \(0 for no limit\)/);
  // 0 is the policy's "no limit".
  // A float is refused even when it is whole, as serde_json's as_u64 refuses it.
  assert.equal(problems('{"maxUpstreamProviders": 3.0}'), 'maxUpstreamProviders must be a whole number (0 for no limit), not 3.0');
  assert.equal(problems('{"maxUpstreamProviders": 3e0}'), 'maxUpstreamProviders must be a whole number (0 for no limit), not 3.0');
  assert.equal(problems('{"maxUpstreamProviders": 2.5, "maxUpstreamProviders": 3}'), '');
  assert.equal(problems('{"maxUpstreamProviders": 0}'), '');
  assert.equal(settingsOf('{"maxUpstreamProviders": 0}').maxUpstreamProviders, null);
  assert.match(bad, /"saml" is not an upstream type/);
  assert.match(problems('{"warnLayers": ["build"]}'), /both rejectLayers and warnLayers/);
  assert.match(problems('{"rejectLayers": ["policy"]}'), /always reject/);
  assert.equal(problems('{"profile": "2026-08"}'), '', 'both profiles are selectable');
  assert.match(problems('[1]'), /must be an object/);
  assert.match(problems('{"allowedUpstreamIssuers": ["https://okta.com/"]}'), /allowedUpstreamIssuers\[0\] "https:\/\/okta\.com\/" is not a host pattern/);
  assert.equal(problems('{"allowedUpstreamIssuers": ["*.okta.com", "GitHub.com"]}'), '');
  // Text that is not a settings object gives the defaults.
  assert.deepEqual(settingsOf('[1'), DEFAULT_SETTINGS);
});

test('the Kubewarden review is the policy module\'s own answer', () => {
  const outcomes = (r) => r.documents.map((d) => `${d.kind}:${d.outcome}`);
  const broken = review(policy, example('multi-upstream-broken.yaml'), '');
  assert.deepEqual(broken.settingsProblems, []);
  assert.ok(broken.documents.some((d) => d.outcome === 'rejected' && /^\d+ problems?: \[/.test(d.message)), JSON.stringify(broken));
  assert.ok(review(policy, example('multi-upstream.yaml'), '').documents.every((d) => d.outcome === 'accepted'));
  // Startup problems become warnings when startup is a warn layer.
  const lenient = review(policy, example('multi-upstream-broken.yaml'), '{"rejectLayers": ["reconcile"], "warnLayers": ["startup", "consumer", "advice"]}');
  assert.ok(lenient.documents.every((d) => d.outcome === 'accepted'), JSON.stringify(lenient));
  assert.ok(lenient.documents.some((d) => d.warnings.some((w) => w.includes('RT-08') || w.includes('"default"'))), JSON.stringify(lenient));
  // The API server refuses schema errors before the policy runs; the consumer is reviewed on
  // its own, with its referenced config fetched from the input.
  const admission = review(policy, example('oidc-single-broken.yaml'), '');
  assert.deepEqual(outcomes(admission), ['MCPExternalAuthConfig:refused-by-api-server', 'MCPServer:rejected']);
  // The policy rules (POL-xx) come from the policy itself.
  const pol = review(policy, example('multi-upstream.yaml'), '{"maxUpstreamProviders": 1, "allowedUpstreamTypes": ["oidc"]}');
  assert.ok(pol.documents.some((d) => d.outcome === 'rejected' && /\[POL-/.test(d.message)), JSON.stringify(pol));
  // Settings the policy refuses: its own messages.
  assert.deepEqual(review(policy, '', '{"rejectLayer": []}').settingsProblems, ['unknown setting "rejectLayer" (did you mean "rejectLayers"?)']);
  assert.equal(review(policy, example('runconfig.json'), '').documents.length, 0, 'run configs are not reviewed');
  assert.equal(review(policy, 'a: [1', ''), null, 'unparsable text');
});

test('the Kubewarden tab reads plain scalars as the core (and kubectl) does', () => {
  const kind = (v) => (typeof v === 'number' ? 'number' : typeof v);
  for (const s of ['no', 'On', 'y', '0777', '08', '1_000', '0b11', '0B11', '0o17', '0O17', '0X1F', '-0x10', '+12', '1e3', '.5', '.5_0', '._5', '.', '0_', '1e400', '1e-400', '2024-01-01', '1:20', 'yess', '0x', '1.2.3', '99999999999999999999']) {
    const text = `apiVersion: toolhive.stacklok.dev/v1beta1\nkind: MCPExternalAuthConfig\nmetadata: {name: a}\nspec:\n  type: tokenExchange\n  tokenExchange:\n    tokenUrl: https://sts.example.com/token\n    audience: ${s}\n`;
    const typeError = check(text).documents[0].diagnostics.find((d) => d.path === 'spec.tokenExchange.audience' && /must be of type string, not/.test(d.message));
    const core = typeError ? { integer: 'number', number: 'number', boolean: 'boolean' }[/not (\w+)/.exec(typeError.message)[1]] : 'string';
    const playground = kind(parseAllDocuments(text, KUBECTL_YAML)[0].toJS().spec.tokenExchange.audience);
    assert.equal(playground, core, s);
  }
});

test('the Kubewarden tab shows the policy\'s settings verdict as it is', () => {
  for (const text of [
    '', '{}', '[1]', 'null', '{"rejectLayer": []}', '{"warnLayers": ["nope"], "profile": "v9"}', '{"maxUpstreamProviders": -1}',
    '{"maxUpstreamProviders": 3.0}', '{"maxUpstreamProviders": 0}', '{"allowedUpstreamTypes": ["saml", "oidc"]}',
    '{"allowedUpstreamIssuers": ["https://okta.com/", "*.okta.com"]}', '{"warnLayers": ["build"]}', '{"rejectLayers": ["policy"]}',
    '{"requirePersistentSigningKeys": "yes"}', '{"profile": "v0.13"}',
  ]) {
    const answer = policy.validateSettings(text);
    // The policy joins its problems with "; " (a problem may hold one too): one message.
    assert.deepEqual(review(policy, '', text).settingsProblems, answer.valid ? [] : [answer.message], text);
  }
});

test('the policy host answers like policy-server: guest errors, host calls, fresh instances', () => {
  assert.throws(() => policy.call('validate', '{"request": {"object": '), (e) => e instanceof GuestError && /not JSON/.test(e.message));
  const server = { apiVersion: 'toolhive.stacklok.dev/v1beta1', kind: 'MCPServer', metadata: { name: 's', namespace: 'ns' }, spec: { image: 'x', externalAuthConfigRef: { name: 'missing' } } };
  const { answer, calls, logs } = policy.validate(admissionRequest(server), {});
  assert.equal(answer.accepted, true);
  assert.match(answer.warnings.join('\n'), /MCPExternalAuthConfig ns\/missing was not found/);
  assert.deepEqual(calls, ['kubewarden/kubernetes/get_resource', 'kubewarden/tracing/log']);
  assert.match(logs[0], /could not be fetched/);
  // Nothing carries over from one request to the next.
  assert.deepEqual(policy.validate(admissionRequest(server), {}).answer, answer);
});

test('the ClusterAdmissionPolicy manifest', () => {
  const y = clusterAdmissionPolicy(settingsOf('{"requirePersistentSigningKeys": true, "allowedUpstreamIssuers": ["*.okta.com"]}'));
  assert.match(y, /^apiVersion: policies\.kubewarden\.io\/v1\nkind: ClusterAdmissionPolicy\n/);
  assert.match(y, /module: registry:\/\/ghcr\.io\/mcpauth-guard\/policies\/mcpauth-guard:v0\.1\.0/);
  assert.match(y, /resources: \["mcpexternalauthconfigs", "mcpservers", "mcpremoteproxies", "virtualmcpservers"\]/);
  assert.match(y, /operations: \["CREATE", "UPDATE"\]/);
  // The default profile 2026-08 serves v1alpha1 and v1beta1; the policy reads a consumer's
  // MCPExternalAuthConfigs at the request's version, and nothing else (policy/metadata.yml).
  assert.match(y, /apiVersions: \["v1alpha1", "v1beta1"\]/);
  assert.match(y, /contextAwareResources:\n    - apiVersion: toolhive\.stacklok\.dev\/v1alpha1\n      kind: MCPExternalAuthConfig\n    - apiVersion: toolhive\.stacklok\.dev\/v1beta1\n      kind: MCPExternalAuthConfig\n  settings/);
  const old = clusterAdmissionPolicy(settingsOf('{"profile": "v0.13"}'));
  assert.match(old, /apiVersions: \["v1alpha1"\]/);
  assert.match(old, /contextAwareResources:\n    - apiVersion: toolhive\.stacklok\.dev\/v1alpha1\n      kind: MCPExternalAuthConfig\n  settings/);
  // Host patterns that a YAML reader could take for numbers stay strings.
  const numeric = clusterAdmissionPolicy(settingsOf('{"allowedUpstreamIssuers": ["1e5", "0x10"]}'));
  assert.match(numeric, /- "1e5"\n      - "0x10"/);
  assert.match(y, /settings:\n    requirePersistentSigningKeys: true\n    allowedUpstreamIssuers:\n      - "\*\.okta\.com"\n/);
  assert.match(clusterAdmissionPolicy(DEFAULT_SETTINGS), /settings: \{\}\n$/);
});
