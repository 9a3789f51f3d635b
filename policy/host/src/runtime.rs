//! The policy-server model: engine, pre-instance, fresh instance per request, epoch deadline,
//! host callbacks.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{json, Value};
use wapc::WapcHost;
use wasmtime_provider::wasmtime::{Config, Engine, Module};
use wasmtime_provider::{EpochDeadlines, WasmtimeEngineProviderBuilder, WasmtimeEngineProviderPre};

use crate::cluster::ClusterState;

/// The epoch tick (policy-server ticks once a second).
pub const TICK: Duration = Duration::from_secs(1);
/// policy-server's default timeout, in ticks (2 s).
pub const DEADLINE_TICKS: u64 = 2;
/// The custom section holding the policy metadata.
pub const METADATA_SECTION: &str = "io.kubewarden.metadata";

/// Anything that went wrong running the policy (the host's own errors, guest errors, traps).
#[derive(Debug, Clone, PartialEq)]
pub struct HostError(pub String);

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HostError {}

fn err(context: &str) -> impl Fn(&dyn fmt::Display) -> HostError + '_ {
    move |e| HostError(format!("{context}: {e}"))
}

/// The policy's answer to `validate` (Kubewarden's `ValidationResponse`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ValidationResponse {
    /// Admitted?
    pub accepted: bool,
    /// The rejection message.
    #[serde(default)]
    pub message: Option<String>,
    /// The rejection code.
    #[serde(default)]
    pub code: Option<u16>,
    /// AdmissionResponse warnings.
    #[serde(default)]
    pub warnings: Option<Vec<String>>,
    /// Audit annotations.
    #[serde(default)]
    pub audit_annotations: Option<HashMap<String, String>>,
    /// A mutated object (never, for a validating policy).
    #[serde(default)]
    pub mutated_object: Option<Value>,
}

/// The policy's answer to `validate_settings`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct SettingsAnswer {
    /// Whether the settings are accepted.
    pub valid: bool,
    /// Why not.
    #[serde(default)]
    pub message: Option<String>,
}

/// One evaluated request.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The policy's response.
    pub response: ValidationResponse,
    /// Wall time of instantiation + `validate`.
    pub elapsed: Duration,
}

/// Host calls the policy made during one request (`binding/namespace/operation`).
pub type CallLog = Arc<Mutex<Vec<String>>>;

/// A loaded policy, ready to evaluate requests like policy-server does.
pub struct PolicyHost {
    engine: Engine,
    pre: WasmtimeEngineProviderPre,
    metadata: Value,
    cluster: Arc<ClusterState>,
    calls: CallLog,
    logs: CallLog,
    stop: Arc<AtomicBool>,
    ticker: Option<JoinHandle<()>>,
}

impl PolicyHost {
    /// Loads an annotated policy. Like policy-server 1.35, refuses a waPC module without
    /// `protocolVersion` in its metadata.
    pub fn load(wasm: &[u8], cluster: ClusterState) -> Result<PolicyHost, HostError> {
        let metadata = read_metadata(wasm)?
            .ok_or_else(|| HostError(format!("the module has no {METADATA_SECTION} section")))?;
        if metadata.get("protocolVersion").and_then(Value::as_str) != Some("v1") {
            return Err(HostError(
                "the policy metadata has no protocolVersion v1".into(),
            ));
        }
        Self::load_unchecked(wasm, metadata, cluster)
    }

    /// Loads a module without metadata checks (the accept-all baseline), with `metadata` as
    /// its metadata.
    pub fn load_unchecked(
        wasm: &[u8],
        metadata: Value,
        cluster: ClusterState,
    ) -> Result<PolicyHost, HostError> {
        let mut config = Config::default();
        config.epoch_interruption(true);
        let engine = Engine::new(&config).map_err(|e| err("engine")(&e))?;
        let module = Module::new(&engine, wasm).map_err(|e| err("compiling the module")(&e))?;
        let pre = WasmtimeEngineProviderBuilder::new()
            .engine(engine.clone())
            .module(module)
            .build_pre()
            .map_err(|e| err("pre-instantiating")(&e))?;
        let stop = Arc::new(AtomicBool::new(false));
        let ticker = {
            let (engine, stop) = (engine.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut last = Instant::now();
                while !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(10));
                    if last.elapsed() >= TICK {
                        engine.increment_epoch();
                        last = Instant::now();
                    }
                }
            })
        };
        Ok(PolicyHost {
            engine,
            pre,
            metadata,
            cluster: Arc::new(cluster),
            calls: Arc::default(),
            logs: Arc::default(),
            stop,
            ticker: Some(ticker),
        })
    }

    /// Replaces the cluster state seen by the next instances.
    pub fn set_cluster(&mut self, cluster: ClusterState) {
        self.cluster = Arc::new(cluster);
    }

    /// The policy metadata read from the module.
    pub fn metadata(&self) -> &Value {
        &self.metadata
    }

    /// The wasmtime engine (for callers that want to tick it themselves).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// A fresh instance, with `wapc_init` already run (the per-request step of policy-server).
    pub fn instance(&self) -> Result<WapcHost, HostError> {
        let provider = self
            .pre
            .rehydrate(Some(EpochDeadlines {
                wapc_init: DEADLINE_TICKS,
                wapc_func: DEADLINE_TICKS,
            }))
            .map_err(|e| err("rehydrating")(&e))?;
        let callback = host_callback(
            &self.metadata,
            self.cluster.clone(),
            self.calls.clone(),
            self.logs.clone(),
        );
        WapcHost::new(Box::new(provider), Some(Box::new(callback)))
            .map_err(|e| err("instantiating")(&e))
    }

    /// Evaluates an AdmissionRequest (the `request` of an AdmissionReview) with `settings`
    /// on a fresh instance.
    pub fn validate(&self, request: &Value, settings: &Value) -> Result<Evaluation, HostError> {
        let payload = serde_json::to_vec(&json!({ "request": request, "settings": settings }))
            .map_err(|e| err("payload")(&e))?;
        self.validate_raw(&payload)
    }

    /// Evaluates a raw validation payload on a fresh instance.
    pub fn validate_raw(&self, payload: &[u8]) -> Result<Evaluation, HostError> {
        let start = Instant::now();
        let host = self.instance()?;
        let raw = host
            .call("validate", payload)
            .map_err(|e| err("validate")(&e))?;
        let elapsed = start.elapsed();
        let response =
            serde_json::from_slice(&raw).map_err(|e| err("the policy's response")(&e))?;
        Ok(Evaluation { response, elapsed })
    }

    /// Runs `validate_settings`. A guest error counts as invalid settings, as in policy-server.
    pub fn validate_settings(&self, settings: &Value) -> Result<SettingsAnswer, HostError> {
        let host = self.instance()?;
        let payload = serde_json::to_vec(settings).map_err(|e| err("settings")(&e))?;
        match host.call("validate_settings", &payload) {
            Ok(raw) => {
                serde_json::from_slice(&raw).map_err(|e| err("the policy's settings answer")(&e))
            }
            Err(e) => Ok(SettingsAnswer {
                valid: false,
                message: Some(format!("the policy failed to validate its settings: {e}")),
            }),
        }
    }

    /// Runs `protocol_version`.
    pub fn protocol_version(&self) -> Result<String, HostError> {
        let raw = self
            .instance()?
            .call("protocol_version", b"")
            .map_err(|e| err("protocol_version")(&e))?;
        serde_json::from_slice(&raw).map_err(|e| err("the protocol version")(&e))
    }

    /// Every host call made so far (`binding/namespace/operation payload`), and clears it.
    pub fn take_calls(&self) -> Vec<String> {
        std::mem::take(&mut self.calls.lock().expect("call log"))
    }

    /// Every `tracing/log` payload received so far, and clears it.
    pub fn take_logs(&self) -> Vec<String> {
        std::mem::take(&mut self.logs.lock().expect("log"))
    }
}

impl Drop for PolicyHost {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.ticker.take() {
            let _ = t.join();
        }
    }
}

/// The `(apiVersion, kind)` pairs the metadata grants.
fn granted(metadata: &Value) -> Vec<(String, String)> {
    metadata
        .get("contextAwareResources")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|r| {
                    Some((
                        r.get("apiVersion")?.as_str()?.to_owned(),
                        r.get("kind")?.as_str()?.to_owned(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The `get_resource` request (the SDK's `GetResourceRequest`).
#[derive(Deserialize)]
struct GetResource {
    api_version: String,
    kind: String,
    name: String,
    namespace: Option<String>,
    #[allow(dead_code)]
    #[serde(default)]
    disable_cache: bool,
}

type CallbackResult = Result<Vec<u8>, Box<dyn std::error::Error + Send + Sync>>;

fn host_callback(
    metadata: &Value,
    cluster: Arc<ClusterState>,
    calls: CallLog,
    logs: CallLog,
) -> impl Fn(u64, &str, &str, &str, &[u8]) -> CallbackResult + Send + Sync + 'static {
    let granted = granted(metadata);
    move |_id, binding, namespace, operation, payload| {
        calls.lock().expect("call log").push(format!(
            "{binding}/{namespace}/{operation} {}",
            String::from_utf8_lossy(payload)
        ));
        if binding != "kubewarden" {
            return Err(format!("unknown binding {binding:?}").into());
        }
        match (namespace, operation) {
            ("tracing", "log") => {
                logs.lock()
                    .expect("log")
                    .push(String::from_utf8_lossy(payload).into_owned());
                Ok(Vec::new())
            }
            ("kubernetes", "get_resource") => {
                let req: GetResource = serde_json::from_slice(payload)?;
                if !granted
                    .iter()
                    .any(|(a, k)| *a == req.api_version && *k == req.kind)
                {
                    return Err(format!(
                        "the policy may not read {} {}: not in contextAwareResources",
                        req.api_version, req.kind
                    )
                    .into());
                }
                match cluster.get(
                    &req.api_version,
                    &req.kind,
                    &req.name,
                    req.namespace.as_deref(),
                ) {
                    Some(obj) => Ok(serde_json::to_vec(&obj)?),
                    None => Err(format!(
                        "{} {}/{} not found",
                        req.kind,
                        req.namespace.unwrap_or_default(),
                        req.name
                    )
                    .into()),
                }
            }
            _ => Err(format!("unknown host capability {namespace}/{operation}").into()),
        }
    }
}

/// Reads the `io.kubewarden.metadata` section of a module.
pub fn read_metadata(wasm: &[u8]) -> Result<Option<Value>, HostError> {
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        if let wasmparser::Payload::CustomSection(c) =
            payload.map_err(|e| err("parsing the module")(&e))?
        {
            if c.name() == METADATA_SECTION {
                return serde_json::from_slice(c.data())
                    .map(Some)
                    .map_err(|e| err("the metadata section")(&e));
            }
        }
    }
    Ok(None)
}
