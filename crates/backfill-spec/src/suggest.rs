//! "Did you mean …?" for unknown keys, feeds and enum values.
//!
//! Optimal string alignment distance (Levenshtein plus adjacent transpositions, the typo a
//! tired hand makes most), ASCII case-insensitively so `Clicks` finds `clicks`. Inputs are
//! capped in length so a hostile multi-kilobyte "feed name" costs no more than a short one.

/// Longest word compared; anything longer is not a typo of a short name.
const MAX_LEN: usize = 64;

/// The closest candidate, if it is close enough to be the word the user meant.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let word: Vec<char> = word.chars().map(|c| c.to_ascii_lowercase()).collect();
    if word.is_empty() || word.len() > MAX_LEN {
        return None;
    }
    // Short words tolerate one edit, longer ones about a third of their length.
    let limit = (word.len() / 3).clamp(1, 3);
    let mut best: Option<(usize, &'a str)> = None;
    // Failing a close spelling, a part of a longer name (`concurrency` → `step_concurrency`,
    // `min` → `min_units`): the shortest such candidate.
    let mut part: Option<&'a str> = None;
    let mut buf = Buffers::default();
    for candidate in candidates {
        let cand: Vec<char> = candidate.chars().map(|c| c.to_ascii_lowercase()).collect();
        if word.len() >= 3
            && cand.len() > word.len()
            && cand.windows(word.len()).any(|w| w == word.as_slice())
            && part.is_none_or(|p| candidate.len() < p.len())
        {
            part = Some(candidate);
        }
        if cand.len() > MAX_LEN || cand.len().abs_diff(word.len()) > limit {
            continue;
        }
        let d = buf.distance(&word, &cand);
        // Strictly better only: on a tie the first candidate (catalog order) wins, which is
        // deterministic.
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c).or(part)
}

/// Formats the usual hint: "did you mean `clicks`?".
pub fn hint<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// Rows reused across candidates: the catalog may hold hundreds of feeds.
#[derive(Default)]
struct Buffers {
    prev2: Vec<usize>,
    prev: Vec<usize>,
    cur: Vec<usize>,
}

impl Buffers {
    fn distance(&mut self, a: &[char], b: &[char]) -> usize {
        let n = b.len();
        self.prev2.clear();
        self.prev2.resize(n + 1, 0);
        self.prev.clear();
        self.prev.extend(0..=n);
        self.cur.clear();
        self.cur.resize(n + 1, 0);
        for i in 1..=a.len() {
            self.cur[0] = i;
            for j in 1..=n {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut d = (self.prev[j] + 1)
                    .min(self.cur[j - 1] + 1)
                    .min(self.prev[j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d = d.min(self.prev2[j - 2] + 1);
                }
                self.cur[j] = d;
            }
            std::mem::swap(&mut self.prev2, &mut self.prev);
            std::mem::swap(&mut self.prev, &mut self.cur);
        }
        self.prev[n]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_case_slips() {
        let feeds = ["clicks", "impressions", "orders", "sessions"];
        assert_eq!(did_you_mean("clikcs", feeds), Some("clicks"));
        assert_eq!(did_you_mean("Clicks", feeds), Some("clicks"));
        assert_eq!(did_you_mean("impresions", feeds), Some("impressions"));
        assert_eq!(did_you_mean("order", feeds), Some("orders"));
        assert_eq!(did_you_mean("revenue", feeds), None);
        assert_eq!(
            did_you_mean("concurrency", ["step_concurrency", "tags"]),
            Some("step_concurrency")
        );
        assert_eq!(
            did_you_mean("min", ["unit_type", "min_units", "max_units"]),
            Some("min_units")
        );
        assert_eq!(did_you_mean("ti", ["ticket"]), None);
        assert_eq!(did_you_mean("", feeds), None);
        assert_eq!(did_you_mean(&"x".repeat(10_000), feeds), None);
        assert_eq!(
            hint("excpet", ["dates", "except"]).as_deref(),
            Some("did you mean `except`?")
        );
    }
}
