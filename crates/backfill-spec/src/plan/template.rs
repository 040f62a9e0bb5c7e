//! Catalog templates (`backfill {feed} {date}`), parsed once into segments so that rendering a
//! million steps never re-scans the template text, and so that a rendered length can be
//! computed without rendering (the EMR limit checks need lengths only).

use crate::{Day, HourSet};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Feed,
    Date,
    Start,
    End,
    Hours,
    Name,
    Fingerprint,
}

/// A parsed template. Unknown placeholders stay literal text: the catalog lint reports them,
/// and printing them as written is what the user will recognise.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Template {
    segments: Vec<Segment>,
    /// Characters of the literal text and how many times each placeholder occurs, so that a
    /// rendered length is arithmetic (the limit checks measure every step).
    literal_chars: usize,
    counts: Counts,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Counts {
    feed: usize,
    day: usize,
    hours: usize,
    name: usize,
    fingerprint: usize,
}

/// What the placeholders of one step or message stand for.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Values<'a> {
    pub feed: &'a str,
    pub start: Day,
    pub end: Day,
    pub hours: HourSet,
    pub name: &'a str,
    pub fingerprint: &'a str,
}

impl Template {
    pub(crate) fn parse(text: &str) -> Template {
        let mut segments = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            literal.push_str(&rest[..open]);
            let after = &rest[open..];
            let placeholder = after.find('}').and_then(|close| {
                let segment = match &after[1..close] {
                    "feed" => Segment::Feed,
                    "date" => Segment::Date,
                    "start" => Segment::Start,
                    "end" => Segment::End,
                    "hours" => Segment::Hours,
                    "name" => Segment::Name,
                    "fingerprint" => Segment::Fingerprint,
                    _ => return None,
                };
                Some((segment, close + 1))
            });
            match placeholder {
                Some((segment, len)) => {
                    if !literal.is_empty() {
                        segments.push(Segment::Literal(std::mem::take(&mut literal)));
                    }
                    segments.push(segment);
                    rest = &after[len..];
                }
                None => {
                    literal.push('{');
                    rest = &after[1..];
                }
            }
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            segments.push(Segment::Literal(literal));
        }
        let mut literal_chars = 0;
        let mut counts = Counts::default();
        for segment in &segments {
            match segment {
                Segment::Literal(text) => literal_chars += text.chars().count(),
                Segment::Feed => counts.feed += 1,
                Segment::Date | Segment::Start | Segment::End => counts.day += 1,
                Segment::Hours => counts.hours += 1,
                Segment::Name => counts.name += 1,
                Segment::Fingerprint => counts.fingerprint += 1,
            }
        }
        Template {
            segments,
            literal_chars,
            counts,
        }
    }

    pub(crate) fn placeholder_count(&self) -> usize {
        self.segments
            .iter()
            .filter(|s| !matches!(s, Segment::Literal(_)))
            .count()
    }

    pub(crate) fn render_into(&self, values: &Values<'_>, out: &mut String) {
        for segment in &self.segments {
            match segment {
                Segment::Literal(text) => out.push_str(text),
                Segment::Feed => out.push_str(values.feed),
                Segment::Date | Segment::Start => push_day(out, values.start),
                Segment::End => push_day(out, values.end),
                Segment::Hours => push_hours(out, values.hours),
                Segment::Name => out.push_str(values.name),
                Segment::Fingerprint => out.push_str(values.fingerprint),
            }
        }
    }

    pub(crate) fn render(&self, values: &Values<'_>) -> String {
        let mut out = String::new();
        self.render_into(values, &mut out);
        out
    }

    /// Length in characters of the rendered text (EMR counts characters), by arithmetic.
    pub(crate) fn rendered_chars(&self, values: &Values<'_>) -> usize {
        let c = self.counts;
        let per =
            |n: usize, len: fn(&Values<'_>) -> usize| if n == 0 { 0 } else { n * len(values) };
        self.literal_chars
            + per(c.feed, |v| v.feed.chars().count())
            + c.day * 10
            + per(c.hours, |v| hours_len(v.hours))
            + per(c.name, |v| v.name.chars().count())
            + per(c.fingerprint, |v| v.fingerprint.len())
    }
}

/// `YYYY-MM-DD` without going through `fmt`: rendering is the hot loop of a large plan.
pub(crate) fn push_day(out: &mut String, day: Day) {
    let (y, m, d) = day.ymd();
    // Years outside 0..=9999 cannot come from `Day::parse`; fall back to the general path.
    if !(0..=9999).contains(&y) {
        out.push_str(&day.to_string());
        return;
    }
    let y = y as u32;
    let digits = [
        b'0' + (y / 1000) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
        b'-',
        b'0' + (m / 10) as u8,
        b'0' + (m % 10) as u8,
        b'-',
        b'0' + (d / 10) as u8,
        b'0' + (d % 10) as u8,
    ];
    out.extend(digits.iter().map(|&b| b as char));
}

pub(crate) fn push_hours(out: &mut String, hours: HourSet) {
    if hours.is_full() {
        out.push_str("0-23");
    } else {
        use std::fmt::Write;
        let _ = write!(out, "{hours}");
    }
}

/// Length of [`push_hours`]'s output, counted run by run without formatting.
fn hours_len(hours: HourSet) -> usize {
    if hours.is_full() {
        return 4;
    }
    let digits = |h: u8| if h < 10 { 1 } else { 2 };
    let (mut len, mut h) = (0, 0u8);
    while h < 24 {
        if !hours.contains(h) {
            h += 1;
            continue;
        }
        let start = h;
        while h + 1 < 24 && hours.contains(h + 1) {
            h += 1;
        }
        len += usize::from(len > 0) + digits(start) + if start == h { 0 } else { 1 + digits(h) };
        h += 1;
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(hours: HourSet) -> Values<'static> {
        Values {
            feed: "clicks",
            start: Day::parse("2022-08-10").unwrap(),
            end: Day::parse("2022-08-12").unwrap(),
            hours,
            name: "recon",
            fingerprint: "abc",
        }
    }

    #[test]
    fn renders_placeholders_and_keeps_unknown_ones() {
        let t = Template::parse(
            "backfill {feed} {date} {start}..{end} h={hours} {name}/{fingerprint} {nope} {",
        );
        let v = values(HourSet::FULL);
        let text = t.render(&v);
        assert_eq!(
            text,
            "backfill clicks 2022-08-10 2022-08-10..2022-08-12 h=0-23 recon/abc {nope} {"
        );
        assert_eq!(t.rendered_chars(&v), text.chars().count());
    }

    #[test]
    fn partial_hours_render_compactly() {
        let mut h = HourSet::default();
        h.insert_range(0, 11);
        h.insert_range(20, 20);
        let t = Template::parse("{hours}");
        assert_eq!(t.render(&values(h)), "0-11,20");
        assert_eq!(t.rendered_chars(&values(h)), 7);
    }

    #[test]
    fn hours_len_matches_the_printed_form() {
        for bits in [
            0u32,
            1,
            0b101,
            0xFFF,
            0x80_0001,
            0x55_5555,
            0x7F_FFFE,
            (1 << 24) - 1,
        ] {
            let h = HourSet(bits);
            let mut printed = String::new();
            push_hours(&mut printed, h);
            assert_eq!(hours_len(h), printed.len(), "{bits:#x}");
        }
    }
}
