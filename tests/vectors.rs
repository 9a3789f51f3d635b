//! Per-rule test vectors (`tests/vectors/<profile>/<RULE>.yaml`): for every rule that can be
//! decided from the manifests, realistic inputs on which it fires (with the exact path,
//! position and ToolHive message of each diagnostic) and inputs on which it does not. Every
//! profile directory is run with its own profile.
//!
//! Cases marked `known_bug` record where the core disagrees with the rules reference: they
//! must still fail (and are printed) until the core is fixed.

mod support;

use std::collections::BTreeSet;

use mcpauth_guard::catalogue::{rules_for, Decidable};
use mcpauth_guard::Profile;

use support::{load, run_profile, vector_files, Expect};

fn vectors(dir: &str, profile: Profile) {
    let outcome = run_profile(dir, profile);
    if !outcome.known_bugs.is_empty() {
        eprintln!(
            "\n{} known core bug(s) (cases that still fail as recorded):\n{}\n",
            outcome.known_bugs.len(),
            outcome.known_bugs.join("\n")
        );
    }
    assert!(outcome.cases > 0, "no vector cases found in {dir}");
    if !outcome.failures.is_empty() {
        panic!(
            "{} vector failure(s) out of {} cases in {dir}:\n{}",
            outcome.failures.len(),
            outcome.cases,
            outcome.failures.join("\n")
        );
    }
}

fn every_static_rule_has_vectors(dir: &str, profile: Profile) {
    let mut problems = Vec::new();
    let in_profile: BTreeSet<&str> = rules_for(profile).map(|r| r.id).collect();
    let mut covered = BTreeSet::new();
    for path in vector_files(dir) {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let vf = match load(&path) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{file}: {e}"));
                continue;
            }
        };
        if !in_profile.contains(vf.rule.as_str()) {
            problems.push(format!("{file}: rule {} is not in profile {dir}", vf.rule));
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
    for rule in rules_for(profile) {
        if rule.decidable == Decidable::Statically && !covered.contains(rule.id) {
            problems.push(format!(
                "{} ({}) is decidable statically but has no vector file tests/vectors/{dir}/{}.yaml with a reject and an accept case",
                rule.id, rule.title, rule.id
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn rules_not_decidable_statically(dir: &str, profile: Profile) {
    let mut n = 0;
    for rule in rules_for(profile) {
        let (what, why) = match rule.decidable {
            Decidable::Statically => continue,
            Decidable::AtRuntimeOnly(why) => ("at runtime only", why),
            Decidable::Unreachable(why) => ("unreachable", why),
        };
        n += 1;
        println!("{} [{what}]: {} — {why}", rule.id, rule.title);
    }
    println!("{n} rule(s) of profile {dir} are not decidable statically (no vectors)");
}

#[test]
fn vectors_v0_13() {
    vectors("v0.13", Profile::V0_13);
}

#[test]
fn every_static_rule_has_vectors_v0_13() {
    every_static_rule_has_vectors("v0.13", Profile::V0_13);
}

#[test]
fn rules_not_decidable_statically_v0_13() {
    rules_not_decidable_statically("v0.13", Profile::V0_13);
}

#[test]
fn vectors_2026_08() {
    vectors("2026-08", Profile::P2026_08);
}

#[test]
fn every_static_rule_has_vectors_2026_08() {
    every_static_rule_has_vectors("2026-08", Profile::P2026_08);
}

#[test]
fn rules_not_decidable_statically_2026_08() {
    rules_not_decidable_statically("2026-08", Profile::P2026_08);
}

/// Every profile has a vector directory, and every vector directory is a profile (so a new
/// profile cannot be added without its vectors, and no directory is silently skipped).
#[test]
fn vector_directories_are_the_profiles() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/vectors")
        .map(|e| e.expect("entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    let mut profiles: Vec<String> = Profile::ALL.iter().map(|p| p.id().to_owned()).collect();
    profiles.sort();
    assert_eq!(found, profiles);
}
