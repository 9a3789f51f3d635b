// The Kubewarden side of the playground: what happens to each object at admission with the
// policy deployed (the API server's schema and CEL rules from the core, then the policy module
// itself, run by ./policy-host.js), the settings as the policy parses them (for the generated
// manifest; the policy's own validate_settings decides), and a ClusterAdmissionPolicy manifest.
// Tested by www/test/unit.test.mjs.
import { parseAllDocuments } from 'yaml';
import { checkObject } from 'mcpauth-guard';
import { admissionRequest, GuestError } from './policy-host.js';

/** Layers a setting may name (the policy rules always reject when enabled). */
export const SETTING_LAYERS = ['admission', 'reconcile', 'build', 'startup', 'consumer', 'advice'];

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

const BOOLEAN = [
  'requirePersistentSigningKeys',
  'requirePersistentHmacSecrets',
  'requireRedisStorageForReplicas',
  'forbidInlineClientSecrets',
  'forbidInsecureTransport',
];

/** The policy module the generated manifest uses. */
export const POLICY_MODULE = 'registry://ghcr.io/mcpauth-guard/policies/mcpauth-guard:v0.1.0';

function typeName(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  switch (typeof v) {
    case 'boolean':
      return 'a boolean';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    default:
      return 'an object';
  }
}

function editDistance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 0; i < a.length; i++) {
    let prev = row[0];
    row[0] = i + 1;
    for (let j = 0; j < b.length; j++) {
      const cur = row[j + 1];
      row[j + 1] = a[i] === b[j] ? prev : 1 + Math.min(prev, row[j], cur);
      prev = cur;
    }
  }
  return row[b.length];
}

function suggest(name) {
  let best;
  for (const k of Object.keys(DEFAULT_SETTINGS)) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d <= 3 && (!best || d < best.d)) best = { d, k };
  }
  return best?.k;
}

/** policy/src/hosts.rs `HostPattern::parse`: a host, or `*.` and a host; labels [A-Za-z0-9-]. */
function isHostPattern(text) {
  const lower = text.trim().toLowerCase();
  const host = lower.startsWith('*.') ? lower.slice(2) : lower;
  return host.length > 0 && host.length <= 253 && host.split('.').every((l) => l.length > 0 && l.length <= 63 && /^[a-z0-9-]+$/.test(l));
}

function strings(key, v) {
  if (!Array.isArray(v)) throw `${key} must be a list of strings, not ${typeName(v)}`;
  v.forEach((s, i) => {
    if (typeof s !== 'string') throw `${key}[${i}] must be a string, not ${typeName(s)}`;
  });
  return v;
}

function layers(key, v) {
  const out = [];
  strings(key, v).forEach((name, i) => {
    if (name === 'policy') {
      throw `${key}[${i}] "policy": the policy rules (POL-xx) always reject when enabled; remove it`;
    }
    if (!SETTING_LAYERS.includes(name)) {
      throw `${key}[${i}] "${name}" is not a layer; layers are: ${SETTING_LAYERS.join(', ')}`;
    }
    if (!out.includes(name)) out.push(name);
  });
  return out;
}

/** The number token written for top-level `key` in JSON `text` (the last one, as JSON.parse keeps). */
function numberToken(text, key) {
  const re = new RegExp(`"${key}"\\s*:\\s*(-?[0-9][0-9.eE+-]*)`, 'g');
  return [...text.matchAll(re)].pop()?.[1];
}

/** A number as the policy's messages print it (serde_json: a float keeps its `.0`). */
function rustFloat(v, written) {
  if (!/[.eE]/.test(written ?? '') && Number.isInteger(v)) return String(v);
  const s = String(v).replace('e+', 'e');
  return Number.isInteger(v) && !s.includes('e') ? `${s}.0` : s;
}

/**
 * Parses settings text (JSON; empty means defaults) as the policy would.
 * @param {string} text
 * @param {{id: string, available: boolean}[]} profiles from mcpauth-guard's profiles()
 * @returns {{settings: object, problems: string[]}} settings with defaults filled in, and one
 *   message per problem (the policy refuses settings with problems).
 */
export function parseSettings(text, profiles = [{ id: '2026-08', available: true }]) {
  const settings = structuredClone(DEFAULT_SETTINGS);
  let value;
  if (!text.trim()) return { settings, problems: [] };
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { settings, problems: [`settings are not valid JSON: ${e.message}`] };
  }
  if (value === null) return { settings, problems: [] };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { settings, problems: [`settings must be an object, not ${typeName(value)}`] };
  }
  const problems = [];
  const available = profiles.filter((p) => p.available).map((p) => `"${p.id}"`).join(', ');
  for (const [key, v] of Object.entries(value)) {
    try {
      if (key === 'profile') {
        if (typeof v !== 'string') throw `profile must be a string (${available}), not ${typeName(v)}`;
        const p = profiles.find((p) => p.id === v);
        if (!p) throw `profile "${v}" is unknown; available: ${available}`;
        if (!p.available) throw `profile "${v}" is not complete yet and cannot be selected; available: ${available}`;
        settings.profile = v;
      } else if (key === 'rejectLayers' || key === 'warnLayers') {
        settings[key] = layers(key, v);
      } else if (BOOLEAN.includes(key)) {
        if (typeof v !== 'boolean') throw `${key} must be true or false, not ${typeName(v)}`;
        settings[key] = v;
      } else if (key === 'allowedUpstreamIssuers') {
        strings(key, v).forEach((p, i) => {
          if (!isHostPattern(p)) {
            throw `${key}[${i}] "${p}" is not a host pattern: write a host ("github.com") or a wildcard for its subdomains ("*.okta.com"), without scheme, port or path`;
          }
        });
        settings[key] = v;
      } else if (key === 'maxUpstreamProviders') {
        // As the policy: a whole number, 0 (or null) for no limit. The policy reads `3.0` or
        // `3e0` as a float and refuses it; JSON.parse makes them 3, so the token is looked at.
        const written = numberToken(text, key);
        if (v !== null && (!(Number.isInteger(v) && v >= 0) || /[.eE]/.test(written ?? ''))) {
          throw `${key} must be a whole number (0 for no limit), not ${typeof v === 'number' ? rustFloat(v, written) : typeName(v)}`;
        }
        settings[key] = v === 0 ? null : v;
      } else if (key === 'allowedUpstreamTypes') {
        strings(key, v).forEach((t, i) => {
          if (t !== 'oidc' && t !== 'oauth2') {
            throw `${key}[${i}] "${t}" is not an upstream type; ToolHive's types are "oidc" and "oauth2"`;
          }
        });
        settings[key] = v;
      } else {
        const s = suggest(key);
        throw `unknown setting "${key}"${s ? ` (did you mean "${s}"?)` : ''}`;
      }
    } catch (p) {
      problems.push(String(p));
    }
  }
  for (const l of settings.rejectLayers) {
    if (settings.warnLayers.includes(l)) problems.push(`layer "${l}" is in both rejectLayers and warnLayers; keep it in one`);
  }
  return { settings, problems };
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
export function review(policy, text, settingsText, profiles) {
  const checked = policy.validateSettings(settingsText);
  // One message: the policy joins its problems with "; ", which a problem may contain too.
  if (!checked.valid) return { settingsProblems: [checked.message ?? 'invalid settings'], documents: [] };
  const settingsValue = settingsText.trim() ? JSON.parse(settingsText) : {};
  const { settings } = parseSettings(settingsText, profiles);
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
