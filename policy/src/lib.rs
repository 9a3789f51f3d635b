//! # mcpauth-guard Kubewarden policy: the waPC guest
//!
//! The module policy-server loads. It registers the waPC functions and hands them to the
//! policy's logic (`policy/logic`, crate `mcpauth_guard_policy_logic`), with the host's
//! `kubernetes/get_resource` capability as the cluster and `tracing/log` as the log. Nothing
//! here decides anything. See docs/POLICY.md.

use kubewarden_policy_sdk::wapc_guest::{host_call, register_function, CallResult};
use mcpauth_guard_policy_logic::{cluster::Cluster, evaluate, settings_response};
use serde_json::{json, Value};

/// A bump allocator that never frees. policy-server runs every request on a fresh instance and
/// throws it away, so memory is never reused anyway: with wasi-libc's dlmalloc, the first
/// allocations of each instance walked the allocator's state in the memory snapshot and cost
/// ~35 µs of page faults before any checking (docs/PERFORMANCE.md). A request allocates about
/// 30× its payload in all (~60 KB for the two-upstream example; the largest object etcd
/// stores, 1.5 MiB, stays far below the 4 GiB of a 32-bit memory).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: a waPC guest runs on one thread.
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::LeakingAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::LeakingAllocator::new()) };

/// wasi-libc's allocation entry points, answered by the same bump allocator. Only std's handle
/// of the current thread allocates through libc (once_cell's wait path, which the waPC
/// function registry links and a single-threaded guest never takes); without these, wasi-libc's
/// dlmalloc (~8 KB of code) is linked for it alone. (A `cdylib` exports every `#[no_mangle]`
/// function, so the three are among the module's exports; Kubewarden calls only `wapc_init` and
/// `__guest_call`.) Only with std rebuilt from source (scripts/wasm-cargo.sh): the prebuilt
/// std of the stable fallback needs more of dlmalloc, which then clashes with these.
#[cfg(all(target_arch = "wasm32", mcpauth_std_from_source))]
mod libc_alloc {
    use std::alloc::{GlobalAlloc, Layout};
    use std::ffi::c_void;

    /// What `malloc` guarantees on wasm32 (wasi-libc: 16).
    const MALLOC_ALIGN: usize = 16;
    /// `ENOMEM` in wasi-libc.
    const ENOMEM: i32 = 48;
    /// `EINVAL` in wasi-libc.
    const EINVAL: i32 = 28;
    /// The largest alignment served: the bump allocator grows memory by 64 KiB pages and aligns
    /// within what it has.
    const MAX_ALIGN: usize = 65536;

    fn allocate(size: usize, align: usize) -> *mut c_void {
        match Layout::from_size_align(size.max(1), align.max(MALLOC_ALIGN)) {
            // SAFETY: the layout has a non-zero size.
            Ok(layout) => unsafe { super::ALLOCATOR.alloc(layout).cast() },
            Err(_) => std::ptr::null_mut(),
        }
    }

    /// C's `malloc`.
    #[no_mangle]
    extern "C" fn malloc(size: usize) -> *mut c_void {
        allocate(size, MALLOC_ALIGN)
    }

    /// C's `free`: nothing, as the bump allocator never frees.
    #[no_mangle]
    extern "C" fn free(_ptr: *mut c_void) {}

    /// POSIX `posix_memalign`: `EINVAL` for an alignment that is not a power of two multiple
    /// of a pointer's size (or above 64 KiB).
    ///
    /// # Safety
    /// `out` must be valid for a pointer write.
    #[no_mangle]
    unsafe extern "C" fn posix_memalign(out: *mut *mut c_void, align: usize, size: usize) -> i32 {
        if !align.is_power_of_two() || align < size_of::<usize>() || align > MAX_ALIGN {
            return EINVAL;
        }
        let p = allocate(size, align);
        if p.is_null() {
            return ENOMEM;
        }
        // SAFETY: the caller passes a valid out-pointer.
        unsafe { out.write(p) };
        0
    }
}

/// Registers the waPC functions Kubewarden calls: `validate`, `validate_settings`,
/// `protocol_version`.
#[no_mangle]
pub extern "C" fn wapc_init() {
    register_function("validate", validate);
    register_function("validate_settings", validate_settings);
    register_function(
        "protocol_version",
        kubewarden_policy_sdk::protocol_version_guest,
    );
}

/// Build-time pre-initialisation (run once by `wasmtime-wizer`, see
/// `policy/host/src/bin/preinit.rs`): compiles the CRD schemas of every selectable profile and
/// builds the rule catalogue's id index, so that they are already in the module's memory
/// snapshot (each compiled schema from a 64 KiB boundary on, and the requests' heap from a page
/// boundary on: fewer page faults per request). policy-server runs every request on a fresh
/// instance; without this, each request would compile them again (~0.5 ms). Running a
/// whole check here as well was measured to gain nothing and to grow the snapshot. The export
/// is removed from the pre-initialised module.
#[export_name = "wizer-initialize"]
pub extern "C" fn wizer_initialize() {
    for profile in mcpauth_guard::Profile::available() {
        let _ = profile.schema();
    }
    let _ = mcpauth_guard::catalogue::rule("S-00");
    // A request's allocations then start on a page of their own rather than in the
    // snapshot's last one (docs/PERFORMANCE.md).
    mcpauth_guard::snapshot::skip_to_boundary(4096);
}

fn validate(payload: &[u8]) -> CallResult {
    let verdict = evaluate(payload, &Host, &log_warning)?;
    Ok(serde_json::to_vec(&verdict)?)
}

fn validate_settings(payload: &[u8]) -> CallResult {
    Ok(serde_json::to_vec(&settings_response(payload))?)
}

/// The Kubewarden host (policy-server, kwctl), through a waPC host call.
#[derive(Debug, Default, Clone, Copy)]
struct Host;

impl Cluster for Host {
    fn get_resource(
        &self,
        api_version: &str,
        kind: &str,
        name: &str,
        namespace: &str,
    ) -> Result<Value, String> {
        // The SDK's `GetResourceRequest` wire format (it is behind the SDK's
        // `cluster-context` feature, which this policy does not use).
        let request = json!({
            "api_version": api_version,
            "kind": kind,
            "name": name,
            "namespace": namespace,
            "disable_cache": false,
        });
        let msg = serde_json::to_vec(&request).map_err(|e| e.to_string())?;
        let raw = host_call("kubewarden", "kubernetes", "get_resource", &msg)
            .map_err(|e| e.to_string())?;
        mcpauth_guard_policy_logic::utf8(&raw)
            .and_then(|text| serde_json::from_str(text).map_err(|e| e.to_string()))
            .map_err(|e| format!("the host answered with invalid JSON: {e}"))
    }
}

/// Sends a warning to the host's tracing (`kubewarden/tracing/log`), in the SDK logger's event
/// format (without pulling in `slog`). A failing log call is ignored: logging must never
/// change a verdict.
fn log_warning(message: &str) {
    let event = json!({
        "level": "warning",
        "message": message,
        "policy": "mcpauth-guard",
        "file": file!(),
        "line": line!(),
        "column": column!(),
    });
    if let Ok(msg) = serde_json::to_vec(&event) {
        let _ = host_call("kubewarden", "tracing", "log", &msg);
    }
}
