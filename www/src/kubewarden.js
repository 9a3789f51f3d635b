// The Kubewarden side of the playground: what happens to each object at admission with the
// policy deployed (the API server's schema and CEL rules from the core, then the policy module
// itself, run by ./policy-host.js; its own validate_settings judges the settings), and a
// ClusterAdmissionPolicy manifest.
// Tested by www/test/unit.test.mjs.
import { parseAllDocuments } from 'yaml';
import { checkObject } from 'mcpauth-guard';
import { admissionRequest, GuestError } from './policy-host.js';

/** Every setting the policy knows, with its default. */
export const DEFAULT_SETTINGS = Object.freeze({
  profile: '2026-08',
  rejectLayers: ['reconcile', 'build', 'startup', 'consumer'],
  warnLayers: ['advice'],
  requirePersistentSigningKeys: false,
  requirePersistentHmacSecrets: false,
  allowedUpstreamIssuers: [],
  maxUpstreamProviders: null,
  allowedUpstreamTypes: [],
  requireRedisStorageForReplicas: false,
  forbidInlineClientSecrets: false,
  forbidInsecureTransport: false,
});

/** The policy module the generated manifest uses. */
export const POLICY_MODULE = 'registry://ghcr.io/mcpauth-guard/policies/mcpauth-guard:v0.1.0';

/**
 * The settings of settings text (JSON; empty means defaults) with the defaults filled in, for
 * the review and the generated manifest. Whether the policy accepts them is its own
 * `validate_settings`'s answer (`PolicyHost.validateSettings`); text it refuses gives the
 * defaults here, or what of it reads as an object.
 */
export function settingsOf(text) {
  let value = null;
  try {
    value = text.trim() ? JSON.parse(text) : null;
  } catch {
    value = null;
  }
  const own = value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  const settings = { ...structuredClone(DEFAULT_SETTINGS), ...own };
  // 0 is the policy's "no limit", as null.
  if (settings.maxUpstreamProviders === 0) settings.maxUpstreamProviders = null;
  return settings;
}

/** The settings that differ from the defaults (what a manifest needs to say). */
export function nonDefaultSettings(settings) {
  const out = {};
  for (const [k, v] of Object.entries(settings)) {
    if (JSON.stringify(v) !== JSON.stringify(DEFAULT_SETTINGS[k])) out[k] = v;
  }
  return out;
}

/** The kinds the policy reviews; each object is its own admission request. */
export const REVIEWED_KINDS = ['MCPExternalAuthConfig', 'MCPServer', 'MCPRemoteProxy', 'VirtualMCPServer'];

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Go's `underscoreOK`: every underscore of a number literal stands between two digits. */
function underscoresOk(s) {
  let b = s.replace(/^[-+]/, '');
  let saw = '^';
  let hex = false;
  if (/^0[bBoOxX]/.test(b)) {
    hex = /^0[xX]/.test(b);
    saw = '0';
    b = b.slice(2);
  }
  for (const c of b) {
    if (/[0-9]/.test(c) || (hex && /[a-fA-F]/.test(c))) saw = '0';
    else if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else if (saw === '_') return false;
    else saw = '!';
  }
  return saw !== '_';
}

/** `strconv.ParseInt(s, 0, 64)`, falling back to `ParseUint` (as go-yaml), as a BigInt or null. */
function goInteger(s) {
  const m = /^([-+]?)(?:0([xX])([0-9a-fA-F]+)|0([bB])([01]+)|0([oO])([0-7]+)|0([0-7]*)|([1-9][0-9]*))$/.exec(s);
  if (!m) return null;
  const [, sign, , hex, , bin, , oct, legacyOct, dec] = m;
  const digits = hex ?? bin ?? oct ?? legacyOct ?? dec;
  const prefix = hex !== undefined ? '0x' : bin !== undefined ? '0b' : oct !== undefined || legacyOct !== undefined ? '0o' : '';
  const magnitude = BigInt(prefix + (digits || '0'));
  const value = sign === '-' ? -magnitude : magnitude;
  const signedOk = value >= -(2n ** 63n) && value < 2n ** 63n;
  const unsignedOk = sign === '' && value < 2n ** 64n;
  return signedOk || unsignedOk ? value : null;
}

/**
 * A plain scalar that starts like a number, as go-yaml v2 resolves it: without underscores,
 * an integer (`strconv.ParseInt` base 0: 0x, 0o, 0b, a leading 0 for octal), else a float of
 * YAML's form that does not overflow, else the string. Mirrors the core's reading
 * (src/parse/mod.rs, `resolve_non_string`).
 */
function goYamlNumber(s) {
  if (s.startsWith('.')) {
    if (!underscoresOk(s)) return s;
  }
  const plain = s.replaceAll('_', '');
  if (!s.startsWith('.')) {
    const i = goInteger(plain);
    if (i !== null) return Number(i);
  }
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return f;
  }
  return s;
}

const GO_YAML_NUMBER = {
  identify: (v) => typeof v === 'number',
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: /^[-+0-9.]/,
  resolve: goYamlNumber,
};

/**
 * kubectl's reading of YAML for the `yaml` package: sigs.k8s.io/yaml reads YAML 1.1 with
 * go-yaml v2's rules (yes/no/on/off booleans, numbers as `strconv` parses them, merge keys),
 * where timestamps and base-60 numbers stay strings — as the core reads manifests.
 */
export const KUBECTL_YAML = Object.freeze({
  version: '1.1',
  merge: true,
  customTags: (tags) => {
    const kept = tags.filter((t) => {
      if (t.tag === 'tag:yaml.org,2002:timestamp' || t.format === 'TIME') return false;
      if (t.tag === 'tag:yaml.org,2002:int') return false;
      // Of the floats, only `.inf`/`.nan` (the same in every reader) stay.
      return t.tag !== 'tag:yaml.org,2002:float' || String(t.test).includes('inf');
    });
    return [...kept, GO_YAML_NUMBER];
  },
});

/**
 * What the API server and the deployed policy do with each object of `text`, one admission
 * request per object: the API server refuses an object with admission-layer errors first
 * (unless `admission` is a reject layer: then the policy reports them), else the policy answers.
 * A consumer's referenced MCPExternalAuthConfig is fetched from the input's configs.
 * @param {import('./policy-host.js').PolicyHost} policy
 * @returns {{settingsProblems: string[], documents: object[]} | null} null when the text does
 *   not read as objects; each document: {kind, name, outcome: 'refused-by-api-server' |
 *   'rejected' | 'accepted' | 'failed', admission: object[] (diagnostics), message, warnings}
 */
export function review(policy, text, settingsText) {
  const checked = policy.validateSettings(settingsText);
  // One message: the policy joins its problems with "; ", which a problem may contain too.
  if (!checked.valid) return { settingsProblems: [checked.message ?? 'invalid settings'], documents: [] };
  const settingsValue = settingsText.trim() ? JSON.parse(settingsText) : {};
  const settings = settingsOf(settingsText);
  let objects;
  try {
    const docs = parseAllDocuments(text, KUBECTL_YAML);
    if (!Array.isArray(docs) || docs.some((d) => d.errors.length)) return null;
    objects = docs.map((d) => d.toJS()).filter((o) => o && typeof o === 'object' && !Array.isArray(o));
  } catch {
    return null;
  }
  const configs = objects.filter((o) => o.kind === 'MCPExternalAuthConfig');
  const documents = objects
    .filter((o) => REVIEWED_KINDS.includes(o.kind))
    .map((o) => {
      const base = { kind: o.kind, name: String(o.metadata?.name ?? ''), admission: [], message: null, warnings: [] };
      try {
        const checkedByCore = checkObject([o], { profile: settings.profile }).documents[0];
        const admission = checkedByCore.diagnostics.filter((d) => d.layer === 'admission' && d.severity === 'error');
        if (admission.length && !settings.rejectLayers.includes('admission')) {
          return { ...base, outcome: 'refused-by-api-server', admission };
        }
        const { answer } = policy.validate(admissionRequest(o), settingsValue, configs);
        return {
          ...base,
          outcome: answer.accepted ? 'accepted' : 'rejected',
          message: answer.message ?? null,
          warnings: answer.warnings ?? [],
        };
      } catch (e) {
        // The core refuses the object (nested too deep once aliases are expanded), the policy
        // answers with an error, or it traps: policy-server fails closed (500).
        return { ...base, outcome: 'failed', message: e instanceof GuestError ? e.message : `${e.name}: ${e.message}` };
      }
    });
  return { settingsProblems: [], documents };
}

function yamlScalar(v) {
  // Plain only when no YAML reader (1.1 or 1.2) can take it for a number, a boolean or null.
  if (typeof v === 'string') return /^[A-Za-z][A-Za-z0-9._/-]*$/.test(v) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v);
}

function yamlValue(v, indent) {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    if (!v.length) return ' []';
    return '\n' + v.map((x) => `${pad}- ${yamlScalar(x)}`).join('\n');
  }
  return ' ' + yamlScalar(v);
}

/** A ClusterAdmissionPolicy manifest that deploys the policy with these settings. */
export function clusterAdmissionPolicy(settings) {
  const versions = settings.profile === '2026-08' ? ['v1alpha1', 'v1beta1'] : ['v1alpha1'];
  const custom = nonDefaultSettings(settings);
  const lines = [
    'apiVersion: policies.kubewarden.io/v1',
    'kind: ClusterAdmissionPolicy',
    'metadata:',
    '  name: mcpauth-guard',
    'spec:',
    `  module: ${POLICY_MODULE}`,
    '  mode: protect',
    '  mutating: false',
    '  backgroundAudit: true',
    '  rules:',
    '    - apiGroups: ["toolhive.stacklok.dev"]',
    `      apiVersions: [${versions.map((v) => `"${v}"`).join(', ')}]`,
    '      resources: ["mcpexternalauthconfigs", "mcpservers", "mcpremoteproxies", "virtualmcpservers"]',
    '      operations: ["CREATE", "UPDATE"]',
    '  # The policy reads the MCPExternalAuthConfigs a consumer references, at the request\'s version.',
    '  contextAwareResources:',
    ...versions.map((v) => `    - apiVersion: toolhive.stacklok.dev/${v}\n      kind: MCPExternalAuthConfig`),
  ];
  if (Object.keys(custom).length) {
    lines.push('  settings:');
    for (const [k, v] of Object.entries(custom)) lines.push(`    ${k}:${yamlValue(v, 6)}`);
  } else {
    lines.push('  settings: {}');
  }
  return lines.join('\n') + '\n';
}
