// Types of the `mcpauth-guard` npm package. The report format is described in the project's
// docs/REPORT.md; every field below is what the WebAssembly core emits.

/** A JSON value (the run config and fix values are arbitrary JSON). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** How serious a diagnostic is. */
export type Severity = 'error' | 'warning' | 'info';

/** When ToolHive itself would fail on a problem, in the order things happen. */
export type Layer = 'admission' | 'reconcile' | 'build' | 'startup' | 'consumer' | 'policy' | 'advice';

/** A profile id: which ToolHive behaviour the rules follow. */
export type ProfileId = 'v0.13' | '2026-08';

/** A consumer whose guards can be applied to every config. Matched case-insensitively. */
export type ConsumerKind = 'MCPServer' | 'MCPRemoteProxy' | 'VirtualMCPServer';

/** The kind of a checked document. */
export type DocumentKind =
  | 'MCPExternalAuthConfig'
  | 'MCPServer'
  | 'MCPRemoteProxy'
  | 'VirtualMCPServer'
  | 'RunConfig'
  | 'Unknown';

/** Options of `check()` and `checkObject()`. Every field is optional; `null` means absent. */
export interface CheckOptions {
  /** Which ToolHive behaviour to follow (default `2026-08`; see `profiles()` for availability). */
  profile?: ProfileId | null;
  /** Apply this consumer's guards to every config (and the proxy runner's to run configs). */
  consumer?: ConsumerKind | Lowercase<ConsumerKind> | null;
  /** Namespace of the workload, when no consumer document in the input says. */
  namespace?: string | null;
  /** Name of the workload, when no consumer document in the input says. */
  workload?: string | null;
  /** The workload's resource URL (`spec.oidcConfig.resourceUrl`), the token audience. */
  resourceUrl?: string | null;
  /** The scopes the workload's OIDC config advertises. */
  scopes?: string[] | null;
  /** The name the report gives the input (`check()` only; default `<input>`). */
  source?: string | null;
}

/** A certain fix: replace the value at `path` with `value`. */
export interface Fix {
  /** Path of the value to replace (same notation as `Diagnostic.path`). */
  path: string;
  /** The replacement value. */
  value: JsonValue;
}

/** A later-layer rule that fails on the same problem. */
export interface Related {
  /** The rule id. */
  rule: string;
  /** Its layer. */
  layer: Layer;
  /** ToolHive's message at that layer. */
  toolhive?: string;
}

/**
 * One problem found in a document. Positions are present when the input was text: lines and
 * columns are 1-based (columns in characters); `offset`/`endOffset` are UTF-16 code units from
 * the start of the text, so `text.slice(d.offset, d.endOffset)` is the located text.
 */
export interface Diagnostic {
  severity: Severity;
  layer: Layer;
  /** Rule id (`S-04`, `RT-08`, `ADV-02`, …); see `rules()`. */
  rule: string;
  /** Dotted JSON path from the document root with `[i]` indices; empty for the document. */
  path: string;
  /** Plain-English statement of the problem. */
  message: string;
  /** The message ToolHive (or the API server) itself would produce. */
  toolhive?: string;
  /** What to change. */
  hint?: string;
  /** A replacement a tool may apply, when the fix is certain. */
  fix?: Fix;
  /** Later layers that would fail on the same problem. */
  also?: Related[];
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  offset?: number;
  endOffset?: number;
}

/** A Kubernetes `EnvVar` that reads a key of a Secret. */
export interface EnvVar {
  name: string;
  valueFrom: { secretKeyRef: { name: string; key: string } };
}

/** A Kubernetes secret `Volume`. */
export interface Volume {
  name: string;
  secret: {
    secretName: string;
    items: { key: string; path: string }[];
    defaultMode: number;
  };
}

/** A Kubernetes `VolumeMount`. */
export interface VolumeMount {
  name: string;
  readOnly: boolean;
  mountPath: string;
  subPath: string;
}

/** What ToolHive's operator would generate for the workload, in ToolHive's order. */
export interface Derived {
  env: EnvVar[];
  volumes: Volume[];
  volumeMounts: VolumeMount[];
  /** The serialized authserver run config (snake_case keys, as ToolHive writes it). */
  runConfig: { [key: string]: JsonValue };
}

/** The result for one input document. */
export interface DocumentReport {
  /** The source name (`<input>` by default, `<object>` for `checkObject`). */
  source: string;
  /** Zero-based index of the document within its source. */
  index: number;
  /** 1-based line where the document starts. */
  line: number;
  kind: DocumentKind;
  apiVersion?: string;
  name?: string;
  namespace?: string;
  /** True when no diagnostic has severity `error`. */
  valid: boolean;
  /** Problems, sorted by position. */
  diagnostics: Diagnostic[];
  /** Present when derivation succeeds for an embedded auth server. */
  derived?: Derived;
}

/** The whole result of a check. */
export interface Report {
  tool: { name: 'mcpauth-guard'; version: string };
  profile: ProfileId;
  documents: DocumentReport[];
}

/** One rule of the catalogue. */
export interface Rule {
  id: string;
  layer: Layer;
  /** Default severity of its diagnostics. */
  severity: Severity;
  /** What it checks, in one line. */
  title: string;
  /** ToolHive's message (`<i>`, `<n>` … are filled in at run time); empty when none. */
  toolhive: string;
  /** How to fix it. */
  hint: string;
  /** Which ToolHive revisions have it: `A` (v0.13), `H` (2026-08), `A+H`, or `own`. */
  revs: 'A' | 'H' | 'A+H' | 'own';
  /** The profiles in which the rule applies. */
  profiles: ProfileId[];
  /** Earlier-layer rules whose diagnostic at the same path replaces this one. */
  subsumedBy: string[];
  /** Whether the rule is checked from the manifests. */
  decidable: boolean;
  /** Why it is not checked: only at run time, or unreachable in ToolHive's code. */
  undecidable?: { kind: 'runtime' | 'unreachable'; reason: string };
}

/** A ToolHive revision the rules can follow. */
export interface ProfileInfo {
  id: ProfileId;
  /** The ToolHive revision, for humans. */
  revision: string;
  /** Whether it can be selected with `options.profile`. */
  available: boolean;
  /** Whether it is the default. */
  default: boolean;
}

/** A layer and what happens in a cluster when ToolHive fails there. */
export interface LayerInfo {
  id: Layer;
  consequence: string;
}

/** The core's version (the report's `tool.version`). */
export const version: string;

/**
 * Loads the WebAssembly module (browser entry; a no-op under Node, which loads it on import).
 * Without an argument the `.wasm` next to the module is fetched.
 */
export function init(
  input?: string | URL | Request | Response | BufferSource | WebAssembly.Module | Promise<Response>,
): Promise<void>;

/** Synchronous initialisation from the module's bytes (browser entry; a no-op under Node). */
export function initSync(module?: BufferSource | WebAssembly.Module): void;

/** Whether the module is ready (always true under Node). */
export function isInitialized(): boolean;

/**
 * Checks a YAML or JSON text (one or more documents).
 * @throws {ParseError} when the text cannot be parsed (with `line` and `column`).
 * @throws {OptionsError} when an option is malformed or unknown.
 */
export function check(text: string, options?: CheckOptions | null): Report;

/**
 * Checks an already-parsed object, or an array of objects (one document each). Diagnostics
 * carry no positions. `options.source` is ignored (the source is `<object>`).
 * @throws {ParseError} when the value is not a JSON object.
 */
export function checkObject(value: unknown, options?: CheckOptions | null): Report;

/**
 * The client-secret environment variable ToolHive derives for an upstream name.
 * @throws {InvalidNameError} when the CRD would not admit the name.
 */
export function clientSecretEnvVar(name: string): string;

/** The rule catalogue, in layer order. */
export function rules(): Rule[];

/** Every profile, oldest first. */
export function profiles(): ProfileInfo[];

/** Every layer, in the order things happen. */
export function layers(): LayerInfo[];

/** Base class of every error this package throws on purpose. */
export class MCPAuthGuardError extends Error {}

/** The input could not be parsed. */
export class ParseError extends MCPAuthGuardError {
  name: 'ParseError';
  /** The source name. */
  source: string;
  /** 1-based line, when known. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
}

/** An option is malformed or unknown. */
export class OptionsError extends MCPAuthGuardError {
  name: 'OptionsError';
  /** Which option; empty for the options object itself. */
  option: string;
}

/** An upstream name the CRD would not admit. */
export class InvalidNameError extends MCPAuthGuardError {
  name: 'InvalidNameError';
  /** The offending name. */
  upstreamName: string;
  /** Why it is invalid. */
  reason: string;
  /** A valid name close to it, when one can be made. */
  suggestion?: string;
}

/** A function was called before `init()` resolved (browser entry). */
export class NotInitializedError extends MCPAuthGuardError {
  name: 'NotInitializedError';
}
