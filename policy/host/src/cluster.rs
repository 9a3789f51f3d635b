//! The cluster the host pretends to be connected to: a list of objects that
//! `kubernetes/get_resource` looks up by apiVersion, kind, name and namespace.

use serde_json::Value;

/// Objects the policy may read, as full Kubernetes objects.
#[derive(Debug, Clone, Default)]
pub struct ClusterState {
    objects: Vec<Value>,
}

impl ClusterState {
    /// An empty cluster.
    pub fn new() -> ClusterState {
        ClusterState::default()
    }

    /// A cluster holding `objects`.
    pub fn with(objects: impl IntoIterator<Item = Value>) -> ClusterState {
        ClusterState {
            objects: objects.into_iter().collect(),
        }
    }

    /// Adds an object.
    pub fn insert(&mut self, object: Value) {
        self.objects.push(object);
    }

    /// Finds an object. Like the API server, an object of another version of the same group
    /// and kind is served converted (here: with the requested `apiVersion`).
    pub fn get(
        &self,
        api_version: &str,
        kind: &str,
        name: &str,
        namespace: Option<&str>,
    ) -> Option<Value> {
        let group = |av: &str| av.rsplit_once('/').map_or("", |(g, _)| g).to_owned();
        self.objects
            .iter()
            .find(|o| {
                let s = |p: &str| o.pointer(p).and_then(Value::as_str);
                s("/kind") == Some(kind)
                    && s("/apiVersion").map(group) == Some(group(api_version))
                    && s("/metadata/name") == Some(name)
                    && (namespace.is_none()
                        || s("/metadata/namespace").or(Some("default")) == namespace)
            })
            .map(|o| {
                let mut o = o.clone();
                o["apiVersion"] = Value::String(api_version.to_owned());
                o
            })
    }
}
