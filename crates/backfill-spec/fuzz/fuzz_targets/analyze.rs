//! Arbitrary bytes → analyze and catalog::parse: no panic, every span inside the text.
#![no_main]

use backfill_spec::{Day, Options, analyze, catalog};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let options = Options {
        today: Day::parse("2022-09-01").unwrap(),
    };
    let analysis = analyze(&text, catalog::demo(), &options);
    let (_, catalog_diagnostics, _) = catalog::parse(&text);
    for d in analysis.diagnostics.iter().chain(&catalog_diagnostics) {
        assert!(d.span.start <= d.span.end && d.span.end <= text.len());
        assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
    }
});
