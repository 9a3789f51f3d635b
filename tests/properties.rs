//! Properties of the env-var naming that hold for every valid name and every ordering.

use std::collections::HashSet;

use mcpauth_guard::{check_text, client_secret_env_var, Options};
use proptest::prelude::*;

/// Valid upstream names: DNS labels of 1–63 characters.
fn name() -> impl Strategy<Value = String> {
    "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
}

proptest! {
    #[test]
    fn env_name_is_injective(a in name(), b in name()) {
        let (ea, eb) = (client_secret_env_var(&a).unwrap(), client_secret_env_var(&b).unwrap());
        prop_assert_eq!(a == b, ea == eb);
    }

    #[test]
    fn env_name_shape(a in name()) {
        let e = client_secret_env_var(&a).unwrap();
        prop_assert!(e.starts_with("TOOLHIVE_UPSTREAM_CLIENT_SECRET_"));
        prop_assert!(e.bytes().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_'));
    }

    #[test]
    fn reordering_providers_never_changes_a_providers_env_var(
        names in proptest::collection::hash_set(name(), 1..6),
        seed in any::<u64>(),
    ) {
        let names: Vec<String> = names.into_iter().collect();
        let mut shuffled = names.clone();
        // A deterministic permutation from the seed.
        let n = shuffled.len();
        for i in (1..n).rev() {
            let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) % (i as u64 + 1)) as usize;
            shuffled.swap(i, j);
        }
        let env_of = |order: &[String]| {
            let report = check_text("p", &config(order), &Options::default()).unwrap();
            let env = &report.documents[0].derived.as_ref().expect("derived").env;
            env.iter().map(|e| (e.name.clone(), e.value_from.secret_key_ref.name.clone())).collect::<HashSet<_>>()
        };
        prop_assert_eq!(env_of(&names), env_of(&shuffled));
    }
}

fn config(names: &[String]) -> String {
    let mut s = String::from(
        "apiVersion: toolhive.stacklok.dev/v1alpha1\nkind: MCPExternalAuthConfig\nmetadata: {name: p}\nspec:\n  type: embeddedAuthServer\n  embeddedAuthServer:\n    issuer: https://auth.example.com\n    upstreamProviders:\n",
    );
    for n in names {
        s.push_str(&format!(
            "      - name: {n}\n        type: oidc\n        oidcConfig: {{issuerUrl: https://idp.example.com, clientId: c, clientSecretRef: {{name: secret-{n}, key: k}}, redirectUri: https://m.example.com/cb}}\n"
        ));
    }
    s
}
