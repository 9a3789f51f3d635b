//! Reading other objects from the cluster, behind a trait: the guest answers it with the host
//! capability `kubernetes/get_resource` (granted by `contextAwareResources` in metadata.yml);
//! native tests and the fuzz target answer it from fixtures ([`Objects`], or any closure).

use serde_json::Value;

/// Where the policy reads other objects from.
pub trait Cluster {
    /// Fetches one namespaced object. The error is a short description for logs.
    fn get_resource(
        &self,
        api_version: &str,
        kind: &str,
        name: &str,
        namespace: &str,
    ) -> Result<Value, String>;
}

/// Any `Fn(api_version, kind, name, namespace)` is a cluster.
impl<F> Cluster for F
where
    F: Fn(&str, &str, &str, &str) -> Result<Value, String>,
{
    fn get_resource(
        &self,
        api_version: &str,
        kind: &str,
        name: &str,
        namespace: &str,
    ) -> Result<Value, String> {
        self(api_version, kind, name, namespace)
    }
}

/// A fixture cluster: a list of objects, looked up by kind, name and namespace (an object
/// without a namespace is in `default`); the answer carries the requested `apiVersion`, as the
/// API server converts between versions of one group.
#[derive(Debug, Clone, Default)]
pub struct Objects(pub Vec<Value>);

impl Cluster for Objects {
    fn get_resource(
        &self,
        api_version: &str,
        kind: &str,
        name: &str,
        namespace: &str,
    ) -> Result<Value, String> {
        let s = |o: &Value, p: &str| o.pointer(p).and_then(Value::as_str).map(str::to_owned);
        self.0
            .iter()
            .find(|o| {
                s(o, "/kind").as_deref() == Some(kind)
                    && s(o, "/metadata/name").as_deref() == Some(name)
                    && s(o, "/metadata/namespace").as_deref().unwrap_or("default") == namespace
            })
            .map(|o| {
                let mut o = o.clone();
                if let Value::Object(m) = &mut o {
                    m.insert("apiVersion".into(), Value::String(api_version.to_owned()));
                }
                o
            })
            .ok_or_else(|| format!("{kind} {namespace}/{name} not found"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_and_closures_answer() {
        let c = Objects(vec![json!({"kind": "K", "metadata": {"name": "a"}})]);
        let got = c.get_resource("g/v1", "K", "a", "default").unwrap();
        assert_eq!(got["apiVersion"], "g/v1");
        assert!(c.get_resource("g/v1", "K", "a", "other").is_err());
        let none =
            |_: &str, _: &str, _: &str, _: &str| -> Result<Value, String> { Err("no".into()) };
        assert_eq!(none.get_resource("", "", "", ""), Err("no".into()));
    }
}
