// Browser / bundler entry of `mcpauth-guard`: call `await init()` once before anything else.
import initWasm, { initSync as initWasmSync } from './mcpauth_guard_wasm.js';
import { _markReady } from './api.js';

export {
  version,
  isInitialized,
  check,
  checkObject,
  clientSecretEnvVar,
  rules,
  profiles,
  layers,
  MCPAuthGuardError,
  ParseError,
  OptionsError,
  InvalidNameError,
  NotInitializedError,
} from './api.js';

let pending;

/**
 * Loads the WebAssembly module. Without an argument it is fetched from next to this file
 * (`mcpauth_guard_wasm_bg.wasm`); pass a URL, Response, BufferSource or WebAssembly.Module to
 * load it from elsewhere. Safe to call more than once.
 */
export function init(input) {
  if (!pending) {
    pending = initWasm(input === undefined ? undefined : { module_or_path: input }).then(() => {
      _markReady();
    });
    pending.catch(() => {
      pending = undefined;
    });
  }
  return pending;
}

/** Synchronous initialisation from the module's bytes (or a compiled WebAssembly.Module). */
export function initSync(module) {
  initWasmSync({ module });
  _markReady();
}
