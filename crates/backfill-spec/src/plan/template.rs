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
        Template { segments }
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

    /// Length in characters of the rendered text (EMR counts characters).
    pub(crate) fn rendered_chars(&self, values: &Values<'_>) -> usize {
        self.segments
            .iter()
            .map(|segment| match segment {
                Segment::Literal(text) => text.chars().count(),
                Segment::Feed => values.feed.chars().count(),
                Segment::Date | Segment::Start | Segment::End => 10,
                Segment::Hours => hours_len(values.hours),
                Segment::Name => values.name.chars().count(),
                Segment::Fingerprint => values.fingerprint.len(),
            })
            .sum()
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

fn hours_len(hours: HourSet) -> usize {
    if hours.is_full() {
        4
    } else {
        hours.to_string().len()
    }
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
}
