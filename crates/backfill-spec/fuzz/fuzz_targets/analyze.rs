//! Arbitrary bytes → analyze and catalog::parse: no panic, every span inside the text and on
//! character boundaries, and no error lost: there is an error shown exactly when one was
//! counted. `make fuzz` runs it from the seed corpus in `seeds/`.
#![no_main]

use backfill_spec::{Day, Options, Severity, analyze, catalog};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let options = Options {
        today: Day::parse("2022-09-01").unwrap(),
    };
    let analysis = analyze(&text, catalog::demo(), &options);
    let (_, catalog_diagnostics, catalog_totals) = catalog::parse(&text);
    let shows_error = |ds: &[backfill_spec::Diagnostic]| ds.iter().any(|d| d.severity == Severity::Error);
    assert_eq!(analysis.totals.errors > 0, shows_error(&analysis.diagnostics));
    assert_eq!(catalog_totals.errors > 0, shows_error(&catalog_diagnostics));
    for d in analysis.diagnostics.iter().chain(&catalog_diagnostics) {
        assert!(d.span.start <= d.span.end && d.span.end <= text.len());
        assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
    }
});
