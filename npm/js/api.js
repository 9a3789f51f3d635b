// The API of the `mcpauth-guard` npm package, shared by the browser entry (index.js) and the
// Node entry (node.js). The wasm exports take and return JSON text; this module parses it and
// turns error envelopes into typed errors.
import * as raw from './mcpauth_guard_wasm.js';

/** The core's version (the report's `tool.version`). Filled in by scripts/build-web.sh. */
export const version = '__MCPAUTH_GUARD_VERSION__';

let ready = false;

/** @internal Called by the entry points once the WebAssembly module is instantiated. */
export function _markReady() {
  ready = true;
}

/** Whether `init()` has completed (always true under Node). */
export function isInitialized() {
  return ready;
}

/** Base class of every error this package throws on purpose. */
export class MCPAuthGuardError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'MCPAuthGuardError';
  }
}

/** The input text (or object) could not be read: not YAML/JSON, or not objects. */
export class ParseError extends MCPAuthGuardError {
  constructor(e) {
    super(e.message);
    this.name = 'ParseError';
    /** The source name (`<input>` unless `options.source` says otherwise). */
    this.source = e.source;
    /** 1-based line, when the problem has a position. */
    this.line = e.line;
    /** 1-based column, when the problem has a position. */
    this.column = e.column;
  }
}

/** An option is malformed or names an unknown profile or consumer. */
export class OptionsError extends MCPAuthGuardError {
  constructor(e) {
    super(e.message);
    this.name = 'OptionsError';
    /** Which option (`profile`, `consumer`, …; empty for the options object itself). */
    this.option = e.option;
  }
}

/** `clientSecretEnvVar()` was given a name the CRD would not admit. */
export class InvalidNameError extends MCPAuthGuardError {
  constructor(e) {
    super(e.message);
    this.name = 'InvalidNameError';
    /** The offending upstream name. */
    this.upstreamName = e.name;
    /** Why it is invalid. */
    this.reason = e.reason;
    /** A valid name close to it, when one can be made. */
    this.suggestion = e.suggestion;
  }
}

/** A function was called before `await init()` finished (browser entry only). */
export class NotInitializedError extends MCPAuthGuardError {
  constructor() {
    super('mcpauth-guard is not initialized: call `await init()` first');
    this.name = 'NotInitializedError';
  }
}

function requireReady() {
  if (!ready) throw new NotInitializedError();
}

function unwrap(envelope) {
  const r = JSON.parse(envelope);
  if ('ok' in r) return r.ok;
  const e = r.error;
  switch (e.kind) {
    case 'parse':
      throw new ParseError(e);
    case 'options':
      throw new OptionsError(e);
    case 'invalidName':
      throw new InvalidNameError(e);
    default:
      throw new MCPAuthGuardError(e.message ?? 'unknown error');
  }
}

function encodeOptions(options) {
  if (options === undefined || options === null) return '';
  if (typeof options !== 'object' || Array.isArray(options) || options instanceof Map || options instanceof Set) {
    throw new OptionsError({ message: 'options must be a plain object', option: '' });
  }
  try {
    return JSON.stringify(options);
  } catch (e) {
    // A BigInt or a cycle: not options the module can read.
    throw new OptionsError({ message: `options cannot be read as JSON: ${e.message}`, option: '' });
  }
}

/**
 * Checks a YAML or JSON text (one or more documents) and returns the report.
 * Throws ParseError when the text cannot be read, OptionsError for bad options.
 */
export function check(text, options) {
  requireReady();
  if (typeof text !== 'string') throw new TypeError('check(text): text must be a string');
  return unwrap(raw.checkText(text, encodeOptions(options)));
}

/**
 * Checks an already-parsed object (or an array of objects, one document each). Diagnostics
 * have no positions. Throws ParseError when the value is not a JSON object.
 */
export function checkObject(value, options) {
  requireReady();
  const opts = encodeOptions(options);
  let json;
  try {
    json = JSON.stringify(value);
  } catch (cause) {
    throw new ParseError({ message: `<object>: not JSON-serializable: ${cause.message}`, source: '<object>' });
  }
  if (json === undefined) {
    throw new ParseError({ message: `<object>: ${typeof value} is not a JSON value`, source: '<object>' });
  }
  return unwrap(raw.checkObject(json, opts));
}

/**
 * The client-secret environment variable ToolHive derives for upstream `name`
 * (`okta-prod` → `TOOLHIVE_UPSTREAM_CLIENT_SECRET_OKTA_PROD`). Throws InvalidNameError, with
 * the reason and a suggestion, when the CRD would not admit the name.
 */
export function clientSecretEnvVar(name) {
  requireReady();
  if (typeof name !== 'string') throw new TypeError('clientSecretEnvVar(name): name must be a string');
  return unwrap(raw.clientSecretEnvVar(name));
}

/** The rule catalogue, in layer order. */
export function rules() {
  requireReady();
  return JSON.parse(raw.rules());
}

/** Every profile (ToolHive revision) with whether it can be selected. */
export function profiles() {
  requireReady();
  return JSON.parse(raw.profiles());
}

/** Every layer, in the order things happen, with what ToolHive does when it fails there. */
export function layers() {
  requireReady();
  return JSON.parse(raw.layers());
}
