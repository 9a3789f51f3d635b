//! Placement in a memory snapshot (feature `compact-schemas`).
//!
//! The Kubewarden policy compiles the CRD schemas during its build-time pre-initialisation, with
//! an allocator that never frees, and policy-server runs every request on a fresh copy of that
//! memory. The kernel maps such a copy's pages on first touch, 64 KiB at a time for a read, one
//! page for a write: where the snapshot's data and the request's first allocation lie decides
//! how many page faults a request takes (docs/PERFORMANCE.md).

/// Makes the next allocation start at a multiple of `align` (a power of two), by allocating,
/// and leaking, the bytes up to it. Only meaningful with an allocator that hands out memory in
/// address order and never frees, such as the policy's.
pub fn skip_to_boundary(align: usize) {
    let probe = Box::new(0u8);
    let at = &*probe as *const u8 as usize;
    let gap = (align - at % align) % align;
    // The probe's byte stays allocated: the gap starts after it.
    if gap > 1 {
        std::mem::forget(Vec::<u8>::with_capacity(gap - 1));
    }
    std::mem::forget(probe);
}
