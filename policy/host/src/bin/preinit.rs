//! `mcpauth-guard-preinit IN.wasm OUT.wasm`: pre-initialises a policy module with
//! `wasmtime-wizer` — instantiates it once, calls its `wizer-initialize` export, and writes a
//! module whose memory starts as that instance's memory did afterwards (the export removed).
//!
//! The policy's lazily built tables (compiled CRD schemas, …) are then part of the module's
//! data, so policy-server's fresh instance per request does not rebuild them. Every import
//! is a trap during initialisation: the warm-up must not call the host.

use std::future::Future;
use std::pin::pin;
use std::process::ExitCode;
use std::task::{Context, Poll, Waker};

use wasmtime_provider::wasmtime::{Caller, Engine, Extern, Linker, Store};
use wasmtime_wizer::Wizer;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: mcpauth-guard-preinit IN.wasm OUT.wasm");
        return ExitCode::from(2);
    };
    match run(input, output) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mcpauth-guard-preinit: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(input: &str, output: &str) -> Result<(), String> {
    let wasm = std::fs::read(input).map_err(|e| format!("{input}: {e}"))?;
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let mut wizer = Wizer::new();
    wizer.init_func("wizer-initialize");
    let out = block_on(wizer.run(&mut store, &wasm, async |store, module| {
        let mut linker = Linker::new(store.engine());
        // std's HashMap seeds come from WASI `random_get` (the schema compiler uses sets).
        linker.func_wrap("wasi_snapshot_preview1", "random_get", random_get)?;
        linker.define_unknown_imports_as_traps(module)?;
        linker.instantiate_async(store, module).await
    }))
    .map_err(|e| format!("pre-initialising {input}: {e:?}"))?;
    std::fs::write(output, &out).map_err(|e| format!("{output}: {e}"))?;
    println!("{output}: {} bytes (from {} bytes)", out.len(), wasm.len());
    Ok(())
}

/// WASI `random_get(buf, len) -> errno`, from the operating system's random source.
fn random_get(mut caller: Caller<'_, ()>, buf: i32, len: i32) -> i32 {
    let Some(Extern::Memory(memory)) = caller.get_export("memory") else {
        return 8; // EBADF
    };
    let mut bytes = vec![0u8; len as u32 as usize];
    let filled = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))
        .is_ok();
    if !filled
        || memory
            .write(&mut caller, buf as u32 as usize, &bytes)
            .is_err()
    {
        return 29; // EIO
    }
    0
}

/// Runs a future to completion on this thread. Nothing here waits on I/O: with synchronous
/// host functions every poll makes progress.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = future.as_mut().poll(&mut cx) {
            return v;
        }
    }
}
