// Node entry of `mcpauth-guard`: the WebAssembly module is read from disk and instantiated on
// import, so every function works at once; `init()` is kept for code shared with browsers.
import { readFileSync } from 'node:fs';
import { initSync as initWasmSync } from './mcpauth_guard_wasm.js';
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

initWasmSync({ module: readFileSync(new URL('./mcpauth_guard_wasm_bg.wasm', import.meta.url)) });
_markReady();

/** Already initialised on import under Node; resolves at once. */
export async function init() {}

/** Already initialised on import under Node; does nothing. */
export function initSync() {}
