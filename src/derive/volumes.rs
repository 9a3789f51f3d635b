//! Secret volumes and mounts (`GenerateAuthServerVolumes`, rule CT-05).

use serde::Serialize;

use super::env::secret_ref;
use super::numbered;
use crate::tree::Node;

/// Directory of the signing keys.
pub const KEYS_DIR: &str = "/etc/toolhive/authserver/keys";
/// Directory of the HMAC secrets.
pub const HMAC_DIR: &str = "/etc/toolhive/authserver/hmac";
/// Directory of the Redis CA certificates.
pub const REDIS_TLS_DIR: &str = "/etc/toolhive/authserver/redis-tls";
/// File name of signing key `i` in [`KEYS_DIR`] (`key-0.pem` is the signing key, the rest
/// are fallbacks).
pub fn key_file(i: usize) -> String {
    numbered("key-", i, ".pem")
}

/// File name of HMAC secret `i` in [`HMAC_DIR`].
pub fn hmac_file(i: usize) -> String {
    numbered("hmac-", i, "")
}

/// Mode of every secret volume (0400).
pub const DEFAULT_MODE: u32 = 0o400;

/// A pod volume backed by one key of a secret.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Volume {
    /// Volume name.
    pub name: String,
    /// The secret source.
    pub secret: SecretVolumeSource,
}

/// `SecretVolumeSource`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SecretVolumeSource {
    /// Secret name.
    pub secret_name: String,
    /// The one key projected, and its file name.
    pub items: Vec<KeyToPath>,
    /// File mode (256 = 0400).
    pub default_mode: u32,
}

/// `KeyToPath`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct KeyToPath {
    /// Key within the secret.
    pub key: String,
    /// File name in the volume.
    pub path: String,
}

/// A read-only mount of one file of a volume.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct VolumeMount {
    /// Volume name.
    pub name: String,
    /// Always true.
    pub read_only: bool,
    /// `<dir>/<file>`.
    pub mount_path: String,
    /// The file.
    pub sub_path: String,
}

fn add(
    out: &mut (Vec<Volume>, Vec<VolumeMount>),
    name: String,
    (secret, key): (String, String),
    file: String,
    dir: &str,
) {
    out.0.push(Volume {
        name: name.clone(),
        secret: SecretVolumeSource {
            secret_name: secret,
            items: vec![KeyToPath {
                key,
                path: file.clone(),
            }],
            default_mode: DEFAULT_MODE,
        },
    });
    out.1.push(VolumeMount {
        name,
        read_only: true,
        mount_path: [dir, "/", &file].concat(),
        sub_path: file,
    });
}

fn refs(list: &[Node]) -> impl Iterator<Item = (usize, (String, String))> + '_ {
    list.iter().enumerate().filter_map(|(i, n)| {
        n.as_map()?;
        Some((
            i,
            (
                n.str_or_empty("name").to_owned(),
                n.str_or_empty("key").to_owned(),
            ),
        ))
    })
}

/// Volumes and mounts in the operator's order: signing keys, HMAC secrets, Redis master CA,
/// Redis Sentinel CA. The CA volumes depend only on the CA references, not on the storage type.
pub fn volumes(eas: &Node) -> (Vec<Volume>, Vec<VolumeMount>) {
    let mut out = (Vec::new(), Vec::new());
    for (i, r) in refs(eas.items("signingKeySecretRefs")) {
        add(
            &mut out,
            numbered("authserver-signing-key-", i, ""),
            r,
            key_file(i),
            KEYS_DIR,
        );
    }
    for (i, r) in refs(eas.items("hmacSecretRefs")) {
        add(
            &mut out,
            numbered("authserver-hmac-secret-", i, ""),
            r,
            hmac_file(i),
            HMAC_DIR,
        );
    }
    if let Some(redis) = eas.object("storage").and_then(|s| s.object("redis")) {
        if let Some(r) = redis
            .object("tls")
            .and_then(|t| secret_ref(t, "caCertSecretRef"))
        {
            add(
                &mut out,
                "redis-tls-ca-master".into(),
                r,
                "ca.crt".into(),
                REDIS_TLS_DIR,
            );
        }
        if let Some(r) = redis
            .object("sentinelTls")
            .and_then(|t| secret_ref(t, "caCertSecretRef"))
        {
            add(
                &mut out,
                "redis-tls-ca-sentinel".into(),
                r,
                "sentinel-ca.crt".into(),
                REDIS_TLS_DIR,
            );
        }
    }
    out
}
