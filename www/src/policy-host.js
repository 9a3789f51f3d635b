// The Kubewarden policy itself (policy/policy.wasm, the same code as the module Kubewarden
// runs), hosted the way policy-server hosts it: waPC over WebAssembly, a fresh instance per
// request, `kubernetes/get_resource` answered from the objects of the input and `tracing/log`
// collected. The playground's Kubewarden panel shows the policy's own answers — its settings
// validation, verdict, warnings and POL-xx rules — not a re-implementation of them. Works in
// browsers and in Node (the unit tests).

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The policy's own error for a request (policy-server answers 500, failing closed). */
export class GuestError extends Error {
  constructor(message) {
    super(message);
    this.name = 'GuestError';
  }
}

/** The plural resource names of the kinds the policy reviews (the AdmissionReview's `resource`). */
const PLURAL = {
  MCPExternalAuthConfig: 'mcpexternalauthconfigs',
  MCPServer: 'mcpservers',
  MCPRemoteProxy: 'mcpremoteproxies',
  VirtualMCPServer: 'virtualmcpservers',
};

/**
 * The AdmissionReview `request` the API server sends for `object` (CREATE by default).
 * @param {object} object a Kubernetes object
 */
export function admissionRequest(object, operation = 'CREATE') {
  const [group, version] = String(object.apiVersion ?? '').includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion ?? ''];
  const kind = { group, version, kind: object.kind ?? '' };
  const resource = { group, version, resource: PLURAL[object.kind] ?? `${String(object.kind ?? '').toLowerCase()}s` };
  return {
    uid: '00000000-0000-4000-8000-000000000000',
    kind,
    resource,
    requestKind: kind,
    requestResource: resource,
    name: typeof object.metadata?.name === 'string' ? object.metadata.name : '',
    namespace: typeof object.metadata?.namespace === 'string' && object.metadata.namespace ? object.metadata.namespace : 'default',
    operation,
    userInfo: { username: 'playground' },
    object: operation === 'DELETE' ? null : object,
    oldObject: null,
    dryRun: false,
    options: {},
  };
}

/**
 * Answers `kubernetes/get_resource` from `objects`: by kind, name and namespace (an object
 * without a namespace is in `default`), with the requested apiVersion, as the API server
 * converts between the versions of one group.
 */
function getResource(objects, { api_version: apiVersion, kind, name, namespace }) {
  const found = objects.find(
    (o) => o?.kind === kind && o.metadata?.name === name && (o.metadata?.namespace || 'default') === namespace,
  );
  if (!found) throw new Error(`${kind} ${namespace}/${name} not found`);
  return { ...found, apiVersion };
}

/** A compiled policy module; every call runs on a fresh instance. */
export class PolicyHost {
  /** @param {WebAssembly.Module} module */
  constructor(module) {
    this.module = module;
  }

  /**
   * Compiles the policy from its bytes: an ArrayBuffer, a typed array or a fetch Response (or a
   * promise of one).
   */
  static async load(pending) {
    const source = await pending;
    const module =
      typeof Response !== 'undefined' && source instanceof Response
        ? await WebAssembly.compileStreaming(source).catch(async () => WebAssembly.compile(await source.clone().arrayBuffer()))
        : await WebAssembly.compile(source);
    return new PolicyHost(module);
  }

  /**
   * Calls waPC operation `op` with payload `text` on a fresh instance.
   * @returns {{answer: any, logs: string[], calls: string[]}} the parsed answer, the policy's log
   *   events and its host calls
   * @throws {GuestError} the policy's own error
   */
  call(op, text, cluster = []) {
    const opBytes = encoder.encode(op);
    const body = encoder.encode(text);
    let memory;
    let response = null;
    let guestError = null;
    let hostResponse = new Uint8Array();
    let hostError = new Uint8Array();
    const logs = [];
    const calls = [];
    // Views are made per access: the guest's memory may grow (and its buffer change) at any call.
    const bytes = (ptr, len) => new Uint8Array(memory.buffer, ptr, len);
    const read = (ptr, len) => decoder.decode(bytes(ptr, len));
    const imports = {
      wasi_snapshot_preview1: {
        random_get(ptr, len) {
          globalThis.crypto.getRandomValues(bytes(ptr, len));
          return 0;
        },
      },
      wapc: {
        __guest_request(opPtr, ptr) {
          bytes(opPtr, opBytes.length).set(opBytes);
          bytes(ptr, body.length).set(body);
        },
        __guest_response(ptr, len) {
          response = read(ptr, len);
        },
        __guest_error(ptr, len) {
          guestError = read(ptr, len);
        },
        __host_call(bdPtr, bdLen, nsPtr, nsLen, opPtr, opLen, ptr, len) {
          // Each host call starts without the previous one's answer (as wapc's host does).
          hostResponse = new Uint8Array();
          hostError = new Uint8Array();
          const what = `${read(bdPtr, bdLen)}/${read(nsPtr, nsLen)}/${read(opPtr, opLen)}`;
          calls.push(what);
          try {
            const argument = JSON.parse(read(ptr, len));
            if (what === 'kubewarden/kubernetes/get_resource') {
              hostResponse = encoder.encode(JSON.stringify(getResource(cluster, argument)));
            } else if (what === 'kubewarden/tracing/log') {
              logs.push(argument.message ?? '');
            } else {
              throw new Error(`the host does not offer ${what}`);
            }
            return 1;
          } catch (e) {
            hostError = encoder.encode(e.message);
            return 0;
          }
        },
        __host_response_len: () => hostResponse.length,
        __host_response(ptr) {
          bytes(ptr, hostResponse.length).set(hostResponse);
        },
        __host_error_len: () => hostError.length,
        __host_error(ptr) {
          bytes(ptr, hostError.length).set(hostError);
        },
      },
    };
    const instance = new WebAssembly.Instance(this.module, imports);
    memory = instance.exports.memory;
    instance.exports.wapc_init();
    const ok = instance.exports.__guest_call(opBytes.length, body.length);
    if (!ok || response === null) throw new GuestError(guestError ?? 'the policy failed without a message');
    return { answer: JSON.parse(response), logs, calls };
  }

  /**
   * `validate_settings` for settings text (JSON; empty means `{}`).
   * @returns {{valid: boolean, message: string|null}}
   */
  validateSettings(settingsText) {
    return this.call('validate_settings', settingsText.trim() ? settingsText : '{}').answer;
  }

  /**
   * `validate` of one admission request with the settings (a JSON value), answering
   * `get_resource` from `cluster` (objects).
   * @returns {{answer: {accepted: boolean, message?: string, code?: number, warnings?: string[]}, logs: string[], calls: string[]}}
   */
  validate(request, settings, cluster = []) {
    return this.call('validate', JSON.stringify({ request, settings }), cluster);
  }
}
