// Share links and autosave. The whole playground state is deflated (CompressionStream) and
// base64url-encoded into the URL fragment, which browsers never send to a server.

const PREFIX = '#s=';
const STORAGE_KEY = 'mcpauth-guard-playground:v1';

function toBase64Url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The state a link may hold: the core reads at most 4 MiB of text. */
const MAX_STATE_BYTES = 5 * 1024 * 1024;

async function pipe(bytes, stream, limit = Infinity) {
  const reader = new Blob([bytes]).stream().pipeThrough(stream).getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      // A hostile link (a deflate bomb): stop inflating at once.
      await reader.cancel();
      throw new Error('the shared state is too large');
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Encodes a state object as a URL fragment (`#s=…`). */
export async function encodeState(state) {
  const json = new TextEncoder().encode(JSON.stringify(state));
  return PREFIX + toBase64Url(await pipe(json, new CompressionStream('deflate-raw')));
}

/** Decodes a URL fragment made by encodeState; null when it holds no (valid) state. */
export async function decodeState(hash) {
  if (!hash || !hash.startsWith(PREFIX)) return null;
  try {
    const bytes = await pipe(fromBase64Url(hash.slice(PREFIX.length)), new DecompressionStream('deflate-raw'), MAX_STATE_BYTES);
    const state = JSON.parse(new TextDecoder().decode(bytes));
    return state && typeof state === 'object' && typeof state.text === 'string' ? state : null;
  } catch {
    return null;
  }
}

/** The autosaved state, or null. */
export function loadSaved(storage = globalThis.localStorage) {
  try {
    const state = JSON.parse(storage?.getItem(STORAGE_KEY) ?? 'null');
    return state && typeof state.text === 'string' ? state : null;
  } catch {
    return null;
  }
}

/** Saves the state (ignoring quota and privacy-mode errors). */
export function save(state, storage = globalThis.localStorage) {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(state));
  } catch {
    /* storage unavailable: autosave is best effort */
  }
}

/** Reads a saved theme preference: 'light', 'dark' or 'auto'. */
export function loadTheme(storage = globalThis.localStorage) {
  try {
    const t = storage?.getItem(STORAGE_KEY + ':theme');
    return t === 'light' || t === 'dark' ? t : 'auto';
  } catch {
    return 'auto';
  }
}

/** Saves the theme preference. */
export function saveTheme(theme, storage = globalThis.localStorage) {
  try {
    storage?.setItem(STORAGE_KEY + ':theme', theme);
  } catch {
    /* best effort */
  }
}
