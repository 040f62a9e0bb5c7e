//! From every finding to what is shown: counted first, then collapsed, then cut.
//!
//! The rule that keeps a plan from being silently wrong: [`Totals`] counts every finding,
//! by severity, before anything is merged or left out, and whatever decides (the CLI's exit
//! status, the app's Upload and Download, the form's rewrite of the text) reads the totals,
//! never the length of the list shown. Only then are identical findings collapsed into one
//! with a count and the places it repeats at, and a list longer than [`MAX_SHOWN`] is cut,
//! notes and warnings before errors, with a last finding that says what was left out.

use crate::order::{sorted_positions, stable_order};
use crate::{Diagnostic, Severity};

/// Findings shown at most; one more says how many were left out and of which severities.
pub const MAX_SHOWN: usize = 500;

/// A finding repeated more often than this (same severity, code, message and hint) is shown
/// once, with its count and the other places as related ones.
pub const COLLAPSE_AFTER: usize = 3;

/// Places listed with a collapsed finding; the count says how many there are in all.
const RELATED_SHOWN: usize = 20;

/// Every finding of an analysis, counted by severity before any was collapsed or cut.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Totals {
    pub fn of(diagnostics: &[Diagnostic]) -> Totals {
        let mut totals = Totals::default();
        for d in diagnostics {
            *totals.slot(d.severity) += d.count;
        }
        totals
    }

    pub fn get(&self, severity: Severity) -> usize {
        match severity {
            Severity::Error => self.errors,
            Severity::Warning => self.warnings,
            Severity::Info => self.infos,
        }
    }

    fn slot(&mut self, severity: Severity) -> &mut usize {
        match severity {
            Severity::Error => &mut self.errors,
            Severity::Warning => &mut self.warnings,
            Severity::Info => &mut self.infos,
        }
    }

    pub fn all(&self) -> usize {
        self.errors + self.warnings + self.infos
    }

    /// `2 errors, 1 warning, 3 notes`, or `no problems`.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            (self.errors, "error"),
            (self.warnings, "warning"),
            (self.infos, "note"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, name)| format!("{n} {name}{}", if n == 1 { "" } else { "s" }))
        .collect();
        if parts.is_empty() {
            "no problems".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

/// Counts `all`, then returns what to show: in reading order (span, then code), repeats
/// collapsed, at most [`MAX_SHOWN`] plus one `too-many-findings` that counts the rest.
pub fn for_display(all: Vec<Diagnostic>) -> (Vec<Diagnostic>, Totals) {
    let totals = Totals::of(&all);
    let mut shown = collapse(sorted(all));
    if shown.len() > MAX_SHOWN {
        shown = cut(shown);
    }
    (shown, totals)
}

/// In reading order: by span, then code; ties keep the order they were found in. One sort of
/// positions by span ([`sorted_positions`]), then the few findings that share a span by code:
/// a sort comparing codes and spans through a closure was most of the time on 300,000
/// findings.
fn sorted(found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    // A text is at most a few MiB: its offsets fit in 32 bits (and saturating keeps order).
    let offset = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let mut order = sorted_positions(
        found
            .iter()
            .map(|d| (u64::from(offset(d.span.start)), offset(d.span.end))),
    );
    let mut start = 0;
    while start < order.len() {
        let span = found[order[start]].span;
        let end = start + order[start..].partition_point(|&i| found[i].span == span);
        if end - start > 1 {
            let run = order[start..end].to_vec();
            let by_code = stable_order(run.len(), &|a, b| found[run[a]].code < found[run[b]].code);
            for (slot, k) in order[start..end].iter_mut().zip(by_code) {
                *slot = run[k];
            }
        }
        start = end;
    }
    take_in_order(found, &order)
}

fn take_in_order(items: Vec<Diagnostic>, order: &[usize]) -> Vec<Diagnostic> {
    let mut slots: Vec<Option<Diagnostic>> = items.into_iter().map(Some).collect();
    order.iter().filter_map(|&i| slots[i].take()).collect()
}

/// Identical findings (severity, code, message, hint) repeated more than [`COLLAPSE_AFTER`]
/// times become the first of them, counting all, with the next places as related ones.
/// `sorted` is in reading order, and stays so. Findings are grouped by a hash of what makes
/// them identical (one packed sort, no string comparisons but within a group); two that
/// share a hash without being identical are left apart.
fn collapse(sorted: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let same = |a: &Diagnostic, b: &Diagnostic| {
        (a.severity, &a.code, &a.message, &a.hint) == (b.severity, &b.code, &b.message, &b.hint)
    };
    let hashes: Vec<u64> = sorted.iter().map(identity).collect();
    let order = sorted_positions(hashes.iter().map(|&hash| (hash, 0)));
    let mut keep = vec![true; sorted.len()];
    let mut extra: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let hash = hashes[order[start]];
        let end = start + order[start..].partition_point(|&i| hashes[i] == hash);
        // In reading order: equal hashes keep their positions' order.
        let first = order[start];
        let group: Vec<usize> = order[start + 1..end]
            .iter()
            .copied()
            .filter(|&i| same(&sorted[first], &sorted[i]))
            .collect();
        let count = sorted[first].count + group.iter().map(|&i| sorted[i].count).sum::<usize>();
        if count > COLLAPSE_AFTER {
            for &i in &group {
                keep[i] = false;
            }
            extra.push((first, group));
        }
        start = end;
    }
    if extra.is_empty() {
        return sorted;
    }
    let mut sorted = sorted;
    for (first, rest) in extra {
        let count: usize = rest.iter().map(|&i| sorted[i].count).sum();
        let places: Vec<_> = rest
            .iter()
            .take(RELATED_SHOWN)
            .map(|&i| (sorted[i].span, "the same here".to_owned()))
            .collect();
        let d = &mut sorted[first];
        d.count += count;
        let room = RELATED_SHOWN.saturating_sub(d.related.len());
        d.related.extend(places.into_iter().take(room));
    }
    sorted
        .into_iter()
        .zip(keep)
        .filter_map(|(d, keep)| keep.then_some(d))
        .collect()
}

/// A hash of what makes two findings the same (std's `DefaultHasher::new()` has fixed keys:
/// the same on every run).
fn identity(d: &Diagnostic) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    (d.severity, &d.code, &d.message, &d.hint).hash(&mut h);
    h.finish()
}

/// Keeps [`MAX_SHOWN`] findings, errors before warnings before notes (each severity from the
/// top of the text), in reading order, and adds one that counts what was left out.
fn cut(shown: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let by_severity = stable_order(shown.len(), &|a, b| shown[a].severity < shown[b].severity);
    let mut keep = vec![false; shown.len()];
    for &i in &by_severity[..MAX_SHOWN] {
        keep[i] = true;
    }
    let mut left_out = Totals::default();
    let mut first_left_out = None;
    for (d, &kept) in shown.iter().zip(&keep) {
        if !kept {
            *left_out.slot(d.severity) += d.count;
            first_left_out.get_or_insert((d.span, d.path.clone()));
        }
    }
    let (span, path) = first_left_out.unwrap_or_default();
    let mut kept: Vec<Diagnostic> = shown
        .into_iter()
        .zip(keep)
        .filter_map(|(d, keep)| keep.then_some(d))
        .collect();
    kept.push(
        Diagnostic::info(
            "too-many-findings",
            format!(
                "and {} more not shown ({})",
                left_out.all(),
                left_out.describe()
            ),
            span,
        )
        .with_hint("fix the ones shown first; they often cause the rest")
        .with_path(path),
    );
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Span;

    fn at(severity: Severity, code: &'static str, message: &str, start: usize) -> Diagnostic {
        Diagnostic::new(severity, code, message, Span::new(start, start + 1))
    }

    #[test]
    fn errors_survive_the_cut_and_are_counted() {
        let mut all: Vec<Diagnostic> = (0..600)
            .map(|i| at(Severity::Warning, "w", &format!("warning {i}"), i))
            .collect();
        all.push(at(Severity::Error, "e", "late error", 10_000));
        let (shown, totals) = for_display(all);
        assert_eq!(
            totals,
            Totals {
                errors: 1,
                warnings: 600,
                infos: 0
            }
        );
        assert_eq!(shown.len(), MAX_SHOWN + 1);
        assert!(shown.iter().any(|d| d.code == "e"));
        let last = shown.last().unwrap();
        assert_eq!(last.code, "too-many-findings");
        assert_eq!(last.message, "and 101 more not shown (101 warnings)");
        // Reading order is kept among those shown.
        assert!(
            shown[..MAX_SHOWN]
                .windows(2)
                .all(|w| w[0].span <= w[1].span)
        );
    }

    #[test]
    fn repeats_collapse_into_one_with_a_count() {
        let mut all: Vec<Diagnostic> = (0..600)
            .map(|i| at(Severity::Warning, "dup", "same", i))
            .collect();
        all.push(at(Severity::Error, "e", "other", 3));
        all.extend((0..3).map(|i| at(Severity::Info, "few", "kept apart", 700 + i)));
        let (shown, totals) = for_display(all);
        assert_eq!(totals.warnings, 600);
        let codes: Vec<_> = shown.iter().map(|d| (d.code.as_ref(), d.count)).collect();
        assert_eq!(
            codes,
            [("dup", 600), ("e", 1), ("few", 1), ("few", 1), ("few", 1)]
        );
        assert_eq!(shown[0].related.len(), RELATED_SHOWN);
        assert_eq!(shown[0].related[0].0, Span::new(1, 2));
        // Counting what is shown gives the totals again.
        assert_eq!(Totals::of(&shown), totals);
    }

    #[test]
    fn totals_describe_themselves() {
        assert_eq!(Totals::default().describe(), "no problems");
        let t = Totals {
            errors: 1,
            warnings: 2,
            infos: 0,
        };
        assert_eq!(t.describe(), "1 error, 2 warnings");
    }
}
