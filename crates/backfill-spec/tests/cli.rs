//! The built `backfill-spec` binary, run as CI would run it: exit codes, the JSON contract's
//! shape, standard input, invalid UTF-8, fmt in place and --check.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const GOOD: &str = "version: 1\nname: cli-test\nreason: a test\nbackfills:\n  - feeds: [clicks]\n    dates: \"2022-08-10\"\n";
const BAD: &str = "version: 1\nname: Bad_Name\nreason: a test\nbackfills:\n  - feeds: [clickz]\n    dates: \"2022-08-10\"\n";

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_backfill-spec"))
        .args(args)
        .env("BACKFILL_SPEC_TODAY", "2026-01-01")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the binary");
    let mut input = child.stdin.take().expect("stdin");
    // The binary may exit before reading (a usage error): a closed pipe is not a failure here.
    let _ = input.write_all(stdin.unwrap_or_default());
    drop(input);
    child.wait_with_output().expect("wait")
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 stdout")
}

/// A file in a directory of this test's own, removed by nobody: the OS temp dir is cleaned.
fn temp_file(name: &str, content: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("backfill-spec-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, content).expect("write temp file");
    path
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

#[test]
fn help_and_usage_errors() {
    let help = run(&["--help"], None);
    assert_eq!(code(&help), 0);
    assert!(
        stdout(&help).contains("backfill-spec lint [--catalog FILE] [--format text|json] FILE...")
    );
    assert_eq!(code(&run(&["lint", "--help"], None)), 0);
    for args in [
        &[][..],
        &["frobnicate"],
        &["lint"],
        &["lint", "--format", "xml", "-"],
        &["plan", "a", "b"],
        &["fmt"],
    ] {
        let out = run(args, None);
        assert_eq!(code(&out), 2, "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("Usage:"),
            "{args:?}"
        );
    }
}

#[test]
fn lint_exit_codes_follow_errors_and_io() {
    let good = temp_file("good.yaml", GOOD.as_bytes());
    let bad = temp_file("bad.yaml", BAD.as_bytes());
    assert_eq!(code(&run(&["lint", path(&good)], None)), 0);
    let out = run(&["lint", path(&good), path(&bad)], None);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(
        text.contains(&format!("{}:2:7: error[", path(&bad))),
        "{text}"
    );
    assert!(text.contains("hint: "), "{text}");
    // A mistaken argument that never ends is refused after a bound, not read into memory.
    if Path::new("/dev/zero").exists() {
        assert_eq!(code(&run(&["lint", "/dev/zero"], None)), 2);
    }
    let missing = run(&["lint", path(&good), "/nonexistent/spec.yaml"], None);
    assert_eq!(code(&missing), 2);
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/spec.yaml: cannot read")
    );
}

#[test]
fn lint_json_keeps_the_contract() {
    let out = run(&["lint", "--format", "json", "-"], Some(BAD.as_bytes()));
    assert_eq!(code(&out), 1);
    // Key order is not meaning in JSON, but people read this too: the contract's order.
    assert!(stdout(&out).starts_with(r#"{"diagnostics":[{"severity":"error","code":"#));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let items = value["diagnostics"].as_array().expect("diagnostics");
    assert!(!items.is_empty());
    for item in items {
        for key in [
            "severity",
            "code",
            "message",
            "hint",
            "line",
            "column",
            "end_line",
            "end_column",
        ] {
            assert!(item.get(key).is_some(), "{key} missing in {item}");
        }
        assert!(
            ["error", "warning", "info"].contains(&item["severity"].as_str().expect("severity"))
        );
        assert!(
            item["line"].as_u64().expect("line") >= 1
                && item["column"].as_u64().expect("column") >= 1
        );
        assert_eq!(item["file"], "<stdin>");
    }
    let clean = run(&["lint", "--format=json", "-"], Some(GOOD.as_bytes()));
    assert_eq!(code(&clean), 0);
    let value: serde_json::Value = serde_json::from_str(&stdout(&clean)).expect("JSON");
    assert_eq!(value["diagnostics"].as_array().map(Vec::len), Some(0));
}

#[test]
fn invalid_utf8_is_a_finding_not_a_crash() {
    let mut bytes = GOOD.as_bytes().to_vec();
    bytes.extend_from_slice(b"# caf\xe9\n");
    let out = run(&["lint", "--format", "json", "-"], Some(&bytes));
    assert_eq!(code(&out), 1);
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let d = &value["diagnostics"][0];
    assert_eq!(d["code"], "invalid-utf8");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(7), Some(6))
    );
    for command in [&["plan", "-"][..], &["fmt", "-"]] {
        let out = run(command, Some(b"\xff\xfe"));
        assert_eq!(code(&out), 1, "{command:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("invalid-utf8"));
    }
}

#[test]
fn plan_prints_the_contract_or_the_errors() {
    let out = run(&["plan", "--format", "json", "-"], Some(GOOD.as_bytes()));
    assert_eq!(code(&out), 0);
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(value["summary"]["feed_days"], 1);
    assert_eq!(value["summary"]["emr_waves"], 1);
    assert_eq!(
        value["emr"]["waves"][0][0]["Name"],
        "backfill clicks 2022-08-10"
    );
    assert_eq!(value["replay"]["batches"].as_array().map(Vec::len), Some(0));

    let text = run(&["plan", "-"], Some(GOOD.as_bytes()));
    assert_eq!(code(&text), 0);
    assert!(
        stdout(&text).contains("1 feed-day (0 partial) over 1 feed on 2022-08-10"),
        "{}",
        stdout(&text)
    );

    let errors = run(&["plan", "--format", "json", "-"], Some(BAD.as_bytes()));
    assert_eq!(code(&errors), 1);
    let value: serde_json::Value = serde_json::from_str(&stdout(&errors)).expect("JSON");
    assert!(
        value["diagnostics"]
            .as_array()
            .is_some_and(|d| !d.is_empty())
    );
}

#[test]
fn plan_uses_the_given_catalog_and_reports_its_problems() {
    let catalog = temp_file(
        "catalog.yaml",
        b"version: 1\nfeeds:\n  clicks: {since: \"2020-01-01\"}\nemr:\n  step_name: \"re {feed} {date}\"\n  args: [run, \"{feed}\"]\n",
    );
    let out = run(
        &["plan", "--format", "json", "--catalog", path(&catalog), "-"],
        Some(GOOD.as_bytes()),
    );
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(value["emr"]["waves"][0][0]["Name"], "re clicks 2022-08-10");
    // The catalog's own warning (no `{date}` in its args) goes to stderr, beside the plan.
    assert!(String::from_utf8_lossy(&out.stderr).contains(path(&catalog)));
    let broken = temp_file("broken-catalog.yaml", b"version: 1\nfeeds: [\n");
    let out = run(
        &["lint", "--catalog", path(&broken), "-"],
        Some(GOOD.as_bytes()),
    );
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains(path(&broken)), "{}", stdout(&out));
    assert_eq!(
        code(&run(
            &["lint", "--catalog", "/nonexistent/catalog.yaml", "-"],
            Some(GOOD.as_bytes())
        )),
        2
    );
}

/// `make dist` (scripts/dist.sh) checks the catalog alone, then asks what the site's CSP must
/// let the page connect to.
#[test]
fn a_catalog_alone_is_linted_and_gives_its_connect_sources() {
    let head = "version: 1\nfeeds:\n  clicks: {since: \"2020-01-01\"}\nemr:\n  step_name: \"re {feed} {date}\"\n  args: [run, \"{feed}\", \"{date}\"]\n";
    let good = temp_file(
        "deploy-catalog.yaml",
        format!("{head}upload:\n  allowed_hosts: [minio.example.com]\n  presign: {{url: \"https://presign.example.com:8443/backfills\"}}\n").as_bytes(),
    );
    let out = run(&["lint", "--catalog", path(&good)], None);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let out = run(&["connect-src", "--catalog", path(&good)], None);
    assert_eq!(code(&out), 0);
    assert_eq!(
        stdout(&out),
        "https://minio.example.com https://presign.example.com:8443\n"
    );
    let plain = temp_file("plain-catalog.yaml", head.as_bytes());
    assert_eq!(
        stdout(&run(&["connect-src", "--catalog", path(&plain)], None)),
        "\n"
    );

    let bad = temp_file(
        "bad-deploy-catalog.yaml",
        format!("{head}upload:\n  presign: {{url: \"http://presign.example.com/\"}}\n").as_bytes(),
    );
    let out = run(&["lint", "--catalog", path(&bad)], None);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains(&format!("{}:8:18: error[invalid-presign-url]", path(&bad))),
        "{}",
        stdout(&out)
    );
    let out = run(&["connect-src", "--catalog", path(&bad)], None);
    assert_eq!((code(&out), stdout(&out).as_str()), (1, ""));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid-presign-url"));
}

#[test]
fn fmt_rewrites_checks_and_prints() {
    let file = temp_file("fmt.yaml", GOOD.as_bytes());
    assert_eq!(code(&run(&["fmt", "--check", path(&file)], None)), 1);
    assert_eq!(code(&run(&["fmt", path(&file)], None)), 0);
    let formatted = std::fs::read_to_string(&file).expect("read back");
    assert!(formatted.contains("dates: [\"2022-08-10\"]"), "{formatted}");
    assert_eq!(code(&run(&["fmt", "--check", path(&file)], None)), 0);

    let out = run(
        &["fmt", "-"],
        Some(format!("# yaml-language-server: $schema=spec.json\n{GOOD}").as_bytes()),
    );
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).starts_with(
        "# yaml-language-server: $schema=spec.json\nversion: 1\nname: \"cli-test\"\n"
    ));

    let json = run(&["fmt", "-"], Some(br#"{"version":1,"name":"j","reason":"r","backfills":[{"feeds":"clicks","dates":"2022-08-10"}]}"#));
    assert_eq!(code(&json), 0);
    assert!(
        stdout(&json).starts_with("{\n  \"version\": 1,"),
        "{}",
        stdout(&json)
    );

    let broken = run(&["fmt", "-"], Some(b"version: 1\nname: [\n"));
    assert_eq!(code(&broken), 1);
    assert!(stdout(&broken).is_empty());
}

#[test]
fn schema_prints_the_json_schema() {
    let out = run(&["schema"], None);
    assert_eq!(code(&out), 0);
    assert_eq!(stdout(&out), backfill_spec::json_schema());
}

#[test]
fn plan_text_is_compared_whole() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/plan/product-example.yaml");
    let out = run(&["plan", path(&spec)], None);
    assert_eq!(code(&out), 0);
    // The file name is machine-specific: compare from the summary on.
    let text = stdout(&out);
    let actual = text.split_once('\n').map_or("", |(_, rest)| rest);
    let expected_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/product-example.plan.txt");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::create_dir_all(expected_path.parent().expect("dir")).expect("mkdir");
        std::fs::write(&expected_path, actual).expect("write expected");
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    assert_eq!(actual, expected, "UPDATE_EXPECT=1 to accept");
    // The unquoted dates of the product example draw an info on stderr, not on stdout.
    assert!(String::from_utf8_lossy(&out.stderr).contains("yaml-unquoted-date"));
}

#[test]
fn fmt_says_when_comments_are_dropped() {
    let out = run(
        &["fmt", "-"],
        Some(format!("# why this backfill\n{GOOD}").as_bytes()),
    );
    assert_eq!(code(&out), 0);
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 comment line not kept"));
}

#[test]
fn fmt_keeps_the_schema_key() {
    let json = br#"{"$schema": "./spec-v1.schema.json", "version": 1, "name": "j", "reason": "r", "backfills": [{"feeds": "clicks", "dates": "2022-08-10"}]}"#;
    let out = run(&["fmt", "-"], Some(json));
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(
        text.starts_with("{\n  \"$schema\": \"./spec-v1.schema.json\",\n  \"version\": 1,"),
        "{text}"
    );
    let again = run(&["fmt", "-"], Some(text.as_bytes()));
    assert_eq!(stdout(&again), text, "fmt is idempotent");

    let yaml = format!("$schema: ./spec-v1.schema.json\n{GOOD}");
    let out = run(&["fmt", "-"], Some(yaml.as_bytes()));
    assert!(
        stdout(&out).starts_with("$schema: \"./spec-v1.schema.json\"\nversion: 1\n"),
        "{}",
        stdout(&out)
    );
    let again = run(&["fmt", "-"], Some(&out.stdout));
    assert_eq!(again.stdout, out.stdout, "fmt is idempotent");
}

/// `object` prints what the app uploads: the app calls `backfill_spec::object::uploaded_object` on the
/// analysis of its text with the page's catalog (src/components/upload_panel.rs); so does this.
#[test]
fn object_is_what_the_app_uploads() {
    let catalog_text = "version: 1\nfeeds:\n  clicks: {since: \"2020-01-01\"}\nemr:\n  step_name: \"re {feed} {date}\"\n  args: [run, \"{feed}\", \"{date}\"]\n";
    let catalog_file = temp_file("object-catalog.yaml", catalog_text.as_bytes());
    let created_at = "2026-01-01T12:00:00Z";
    let out = run(
        &[
            "object",
            "--catalog",
            path(&catalog_file),
            "--created-at",
            created_at,
            "-",
        ],
        Some(GOOD.as_bytes()),
    );
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));

    let (catalog, _, _) = backfill_spec::catalog::parse(catalog_text);
    let today = backfill_spec::Day::parse("2026-01-01").unwrap();
    let analysis = backfill_spec::analyze(GOOD, &catalog, &backfill_spec::Options { today });
    let (spec, plan) = (analysis.spec.unwrap(), analysis.plan.unwrap());
    let app = backfill_spec::object::uploaded_object(&spec, &plan, created_at);
    assert_eq!(stdout(&out), app);
    let value: serde_json::Value = serde_json::from_str(&app).expect("JSON");
    assert_eq!(
        value["plan"]["emr"]["waves"][0][0]["Name"],
        "re clicks 2022-08-10"
    );

    // Read back, the object is clean; without --created-at it is stamped now.
    let object = temp_file("object.json", app.as_bytes());
    assert_eq!(
        code(&run(
            &["lint", "--catalog", path(&catalog_file), path(&object)],
            None
        )),
        0
    );
    let now = run(&["object", "-"], Some(GOOD.as_bytes()));
    assert_eq!(code(&now), 0);
    let value: serde_json::Value = serde_json::from_str(&stdout(&now)).expect("JSON");
    assert!(
        value["created_at"]
            .as_str()
            .is_some_and(|t| t.len() == 20 && t.ends_with('Z'))
    );

    // A spec with errors makes no object; a malformed time is a usage error.
    let errors = run(&["object", "-"], Some(BAD.as_bytes()));
    assert_eq!((code(&errors), stdout(&errors).as_str()), (1, ""));
    let bad_time = run(
        &["object", "--created-at", "2026-01-01T12:00:00", "-"],
        Some(GOOD.as_bytes()),
    );
    assert_eq!(code(&bad_time), 2);
    assert!(String::from_utf8_lossy(&bad_time.stderr).contains("--created-at takes a UTC time"));
}

/// `from-mismatches`: the spec of the good rows on standard output (it lints clean), the
/// refused rows on standard error, exit 1 when one was refused.
#[test]
fn from_mismatches_prints_a_spec_and_reports_refused_rows() {
    let list = temp_file(
        "recon-2022-08.csv",
        b"feed,date\nclicks,2022-08-10\nimpressions,2022-08-10\nclicks,2022-08-11\nclickz,2022-08-12\n",
    );
    let out = run(&["from-mismatches", path(&list)], None);
    assert_eq!(code(&out), 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{}:5:1: error[mismatch-unknown-feed]",
            path(&list)
        )),
        "{stderr}"
    );
    assert!(stderr.contains("4 row(s) read, 1 refused"), "{stderr}");
    let spec = stdout(&out);
    assert!(
        spec.contains("name: \"recon-2022-08-2022-08-10\""),
        "{spec}"
    );
    let linted = run(&["lint", "-"], Some(spec.as_bytes()));
    assert_eq!(code(&linted), 0, "{spec}\n{}", stdout(&linted));

    let good = temp_file("good.tsv", b"table\tds\nsilver.clicks\t20220810\n");
    let out = run(
        &[
            "from-mismatches",
            "--name",
            "clicks-recon",
            "--reason",
            "INC-7 mismatches",
            "--ticket",
            "INC-7",
            "--format",
            "json",
            path(&good),
        ],
        None,
    );
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(value["name"], "clicks-recon");
    assert_eq!(value["ticket"], "INC-7");
    assert_eq!(value["backfills"][0]["dates"][0], "2022-08-10");

    let none = run(
        &["from-mismatches", "-"],
        Some(b"feed,date\nnope,2022-08-10\n"),
    );
    assert_eq!((code(&none), stdout(&none).as_str()), (1, ""));
}

/// `from-mismatches --append SPEC`: SPEC's text, comments kept, with entries for the list's
/// feed-days it lacks; twice is the same as once; a spec that cannot take them is refused.
#[test]
fn from_mismatches_appends_what_a_spec_lacks() {
    let spec_text = "# recon of August\nversion: 1\nname: recon\nreason: \"mismatch\"\nbackfills:\n  - feeds: [clicks]  # kept\n    dates: 2022-08-10\n";
    let spec = temp_file("append.yaml", spec_text.as_bytes());
    let list = b"feed,date\nclicks,2022-08-10\nclicks,2022-08-11\norders,2022-08-11\n";
    let out = run(
        &["from-mismatches", "--append", path(&spec), "-"],
        Some(list),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code(&out), 0, "{stderr}");
    assert!(
        stderr.contains("appended 1 entry for 2 feed-day(s); 1 were already in"),
        "{stderr}"
    );
    let appended = stdout(&out);
    assert_eq!(
        appended,
        format!("{spec_text}  - feeds: [\"clicks\", \"orders\"]\n    dates: [\"2022-08-11\"]\n")
    );
    assert_eq!(
        std::fs::read_to_string(&spec).unwrap(),
        spec_text,
        "the file is not changed"
    );

    let again = temp_file("append-again.yaml", appended.as_bytes());
    let out = run(
        &["from-mismatches", "--append", path(&again), "-"],
        Some(list),
    );
    assert_eq!((code(&out), stdout(&out)), (0, appended));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing appended"));

    let broken = temp_file("append-broken.yaml", b"name: recon\nbackfills: later\n");
    let out = run(
        &["from-mismatches", "--append", path(&broken), "-"],
        Some(list),
    );
    assert_eq!((code(&out), stdout(&out).as_str()), (1, ""));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is not a spec whose `backfills` is a list")
    );

    for args in [
        &["from-mismatches", "--append", "-", "-"][..],
        &[
            "from-mismatches",
            "--append",
            path(&spec),
            "--name",
            "x",
            "-",
        ][..],
    ] {
        assert_eq!(code(&run(args, Some(list))), 2, "{args:?}");
    }
}
