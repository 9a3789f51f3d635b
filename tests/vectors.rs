//! Per-rule test vectors (`tests/vectors/<profile>/<RULE>.yaml`): for every rule that can be
//! decided from the manifests, realistic inputs on which it fires (with the exact path,
//! position and ToolHive message of each diagnostic) and inputs on which it does not.
//!
//! Cases marked `known_bug` record where the core disagrees with the rules reference: they
//! must still fail (and are printed) until the core is fixed.

mod support;

use std::collections::BTreeSet;

use mcpauth_guard::catalogue::{rules_for, Decidable};
use mcpauth_guard::Profile;

use support::{load, run_profile, vector_files, Expect};

const DIR: &str = "v0.13";
const PROFILE: Profile = Profile::V0_13;

#[test]
fn vectors_v0_13() {
    let outcome = run_profile(DIR, PROFILE);
    if !outcome.known_bugs.is_empty() {
        eprintln!(
            "\n{} known core bug(s) (cases that still fail as recorded):\n{}\n",
            outcome.known_bugs.len(),
            outcome.known_bugs.join("\n")
        );
    }
    assert!(outcome.cases > 0, "no vector cases found");
    if !outcome.failures.is_empty() {
        panic!(
            "{} vector failure(s) out of {} cases:\n{}",
            outcome.failures.len(),
            outcome.cases,
            outcome.failures.join("\n")
        );
    }
}

#[test]
fn every_static_rule_has_vectors_v0_13() {
    let mut problems = Vec::new();
    let in_profile: BTreeSet<&str> = rules_for(PROFILE).map(|r| r.id).collect();
    let mut covered = BTreeSet::new();
    for path in vector_files(DIR) {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let vf = match load(&path) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{file}: {e}"));
                continue;
            }
        };
        if !in_profile.contains(vf.rule.as_str()) {
            problems.push(format!("{file}: rule {} is not in profile {DIR}", vf.rule));
        }
        let has = |e: Expect| vf.cases.iter().any(|c| c.expect == e);
        if has(Expect::Reject) && has(Expect::Accept) {
            covered.insert(vf.rule.clone());
        } else {
            problems.push(format!(
                "{file}: needs at least one reject and one accept case"
            ));
        }
    }
    for rule in rules_for(PROFILE) {
        if rule.decidable == Decidable::Statically && !covered.contains(rule.id) {
            problems.push(format!(
                "{} ({}) is decidable statically but has no vector file tests/vectors/{DIR}/{}.yaml with a reject and an accept case",
                rule.id, rule.title, rule.id
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn rules_not_decidable_statically_v0_13() {
    let mut n = 0;
    for rule in rules_for(PROFILE) {
        let (what, why) = match rule.decidable {
            Decidable::Statically => continue,
            Decidable::AtRuntimeOnly(why) => ("at runtime only", why),
            Decidable::Unreachable(why) => ("unreachable", why),
        };
        n += 1;
        println!("{} [{what}]: {} — {why}", rule.id, rule.title);
    }
    println!("{n} rule(s) of profile {DIR} are not decidable statically (no vectors)");
}
