//! Every output format on the seed, as insta snapshots; the SARIF output validated
//! against the SARIF 2.1.0 schema (`tests/schemas/sarif-schema-2.1.0.json`, from
//! OASIS, as vendored by the serde-sarif crate).

use std::path::PathBuf;

use assert_cmd::Command;

const SEED: &str = "seeds/000_db6636acdd834bc4.txt";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn report(format: &str, paths: &[&str]) -> String {
    let out = Command::cargo_bin("copylint")
        .unwrap()
        .current_dir(root())
        .args(["check", "--isolated", "--format", format])
        .args(paths)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn sarif_on_the_seed() {
    insta::assert_snapshot!("seed_sarif", report("sarif", &[SEED]));
}

#[test]
fn github_annotations_on_the_seed() {
    insta::assert_snapshot!("seed_github", report("github", &[SEED]));
}

#[test]
fn gitlab_code_quality_on_the_seed() {
    insta::assert_snapshot!("seed_gitlab", report("gitlab", &[SEED]));
}

#[test]
fn junit_on_the_seed() {
    insta::assert_snapshot!("seed_junit", report("junit", &[SEED]));
}

#[test]
fn jsonl_findings_on_the_seed() {
    let out = report("jsonl", &[SEED]);
    assert!(
        out.lines()
            .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok())
    );
    insta::assert_snapshot!("seed_jsonl", out);
}

#[test]
fn records_on_the_seed() {
    insta::assert_snapshot!("seed_records", report("records", &[SEED]));
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/schemas/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    // The seed as text, HTML and Markdown, a JSONL file, and an empty run.
    for paths in [
        vec![
            SEED,
            "tests/fixtures/inputs/seed.html",
            "tests/fixtures/inputs/seed.md",
        ],
        vec!["tests/fixtures/double-space/clean.txt"],
    ] {
        let sarif: serde_json::Value =
            serde_json::from_str(&report("sarif", &paths)).expect("SARIF is JSON");
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{e} at {}", e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{paths:?}:\n{}", errors.join("\n"));
        let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert!(rules.iter().any(|r| r["id"] == "trailing-whitespace"));
    }
    let sarif: serde_json::Value = serde_json::from_str(&report("sarif", &[SEED])).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "trailing-whitespace")
        .expect("the trailing NBSP is reported");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        44
    );
    assert_eq!(
        result["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]["byteLength"],
        2
    );
    assert!(result["partialFingerprints"]["copylint/v1"].is_string());
}
