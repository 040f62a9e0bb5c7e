//! Data-driven plan tests: each `tests/plan/NAME.yaml` spec is analysed against the demo
//! catalog (or `NAME.catalog.yaml` beside it) and its whole plan JSON compared with
//! `NAME.plan.json`. `UPDATE_EXPECT=1 cargo test --test plan` rewrites the expected files;
//! review the diff before committing it.

use std::path::{Path, PathBuf};

use backfill_spec::{Day, Options, analyze, catalog};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/plan");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/plan")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".yaml") && !name.ends_with(".catalog.yaml")
        })
        .collect();
    specs.sort();
    specs
}

fn plan_json(spec_path: &Path) -> String {
    let text = std::fs::read_to_string(spec_path).expect("fixture");
    let catalog_path = spec_path.with_extension("catalog.yaml");
    let catalog = match std::fs::read_to_string(&catalog_path) {
        Ok(catalog_text) => {
            let (catalog, diagnostics) = catalog::parse(&catalog_text);
            assert!(
                diagnostics.is_empty(),
                "{}: {diagnostics:?}",
                catalog_path.display()
            );
            catalog
        }
        Err(_) => catalog::demo().clone(),
    };
    let options = Options {
        today: Day::parse("2026-01-01").expect("day"),
    };
    let analysis = analyze(&text, &catalog, &options);
    analysis
        .plan
        .expect("a plan for every decoded spec")
        .to_json()
}

#[test]
fn plans_match_expected_files() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for spec in fixtures() {
        let actual = plan_json(&spec);
        let expected_path = spec.with_extension("plan.json");
        if update {
            std::fs::write(&expected_path, &actual).expect("write expected");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            failures.push(format!(
                "{}\n--- expected\n{expected}\n--- actual\n{actual}",
                spec.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "plans differ (UPDATE_EXPECT=1 to accept):\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_plan_is_valid_json_with_the_contract_keys() {
    for spec in fixtures() {
        let value: serde_json::Value = serde_json::from_str(&plan_json(&spec)).expect("valid JSON");
        for key in [
            "feed_days",
            "emr_steps",
            "emr_waves",
            "replay_messages",
            "replay_batches",
            "first_day",
            "last_day",
            "feeds",
        ] {
            assert!(
                value["summary"].get(key).is_some(),
                "{}: summary.{key}",
                spec.display()
            );
        }
        for wave in value["emr"]["waves"].as_array().expect("waves") {
            let steps = wave.as_array().expect("wave");
            assert!(!steps.is_empty() && steps.len() <= 256);
            for step in steps {
                assert_eq!(step["HadoopJarStep"]["Jar"], "command-runner.jar");
                assert!(step["Name"].is_string() && step["ActionOnFailure"].is_string());
            }
        }
        for batch in value["replay"]["batches"].as_array().expect("batches") {
            let entries = batch.as_array().expect("batch");
            assert!(!entries.is_empty() && entries.len() <= 10);
            for entry in entries {
                let body: serde_json::Value =
                    serde_json::from_str(entry["MessageBody"].as_str().expect("body"))
                        .expect("body is JSON");
                assert!(body.is_object());
            }
        }
    }
}
