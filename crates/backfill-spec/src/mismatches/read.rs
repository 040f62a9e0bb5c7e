//! Reading a mismatch list: its shape from its first line, then one row per line, each cell
//! checked against the catalog. A refused row gets one finding, at the cell that is wrong.

use super::{Mismatch, Mismatches};
use crate::{Catalog, Day, DayError, Diagnostic, HourSet, Options, Span, findings, order, suggest};

const FEED_COLUMNS: &[&str] = &[
    "feed",
    "table",
    "dataset",
    "table_name",
    "feed_name",
    "source",
];
const DAY_COLUMNS: &[&str] = &["date", "day", "ds", "dt", "partition_date", "event_date"];
const HOUR_COLUMNS: &[&str] = &["hour", "hours", "hr"];

/// How the rows are laid out.
enum Shape {
    /// Cells split by this byte; the columns of the feed, the day and maybe the hour.
    Delimited {
        by: u8,
        feed: usize,
        day: usize,
        hour: Option<usize>,
    },
    JsonLines,
    /// `feed day [hours]`, split on white space.
    Plain,
}

/// Reads a mismatch list against the catalog; `today` (from `options`) refuses future days.
pub fn read(text: &str, catalog: &Catalog, options: &Options) -> Mismatches {
    let mut reader = Reader {
        catalog,
        names: feed_names(catalog),
        today: options.today,
        findings: Vec::new(),
        rows: 0,
        refused: 0,
        set: Vec::new(),
    };
    let mut lines = lines(text).filter(|(_, line)| {
        let trimmed = line.trim();
        !trimmed.is_empty() && !trimmed.starts_with('#')
    });
    if let Some((start, first)) = lines.next() {
        match shape(first) {
            Ok(Some(shape)) => lines.for_each(|(at, line)| reader.row(&shape, at, line)),
            Ok(None) => {
                let shape = if first.trim_start().starts_with('{') {
                    Shape::JsonLines
                } else {
                    Shape::Plain
                };
                reader.row(&shape, start, first);
                lines.for_each(|(at, line)| reader.row(&shape, at, line));
            }
            Err(finding) => reader.findings.push(finding.at(start)),
        }
    }
    reader.finish()
}

/// Each line with the offset of its first byte; a BOM and a `\r` before `\n` are left out.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let skip = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut at = skip;
    text[skip..].split('\n').map(move |line| {
        let start = at;
        at += line.len() + 1;
        (start, line.strip_suffix('\r').unwrap_or(line))
    })
}

/// A finding not yet placed: its span is relative to the line it is about.
struct Loose(Box<Diagnostic>);

impl Loose {
    fn of(d: Diagnostic) -> Loose {
        Loose(Box::new(d))
    }

    fn at(self, line_start: usize) -> Diagnostic {
        let mut d = *self.0;
        d.span = Span::new(d.span.start + line_start, d.span.end + line_start);
        d
    }
}

/// The shape the first line announces: `Ok(Some)` for a header, `Ok(None)` when the first
/// line is already a row (JSON Lines, plain lines), `Err` for a header that names no feed or
/// no day column.
fn shape(first: &str) -> Result<Option<Shape>, Loose> {
    if first.trim_start().starts_with('{') {
        return Ok(None);
    }
    let by = if first.contains('\t') {
        b'\t'
    } else if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else if first.contains(',') {
        b','
    } else {
        // A plain header (`feed day hour`) is skipped; any other first line is a row.
        let words: Vec<&str> = first.split_whitespace().collect();
        let named = |i: usize, names: &[&str]| {
            words
                .get(i)
                .is_some_and(|w| names.contains(&w.to_ascii_lowercase().as_str()))
        };
        return Ok((named(0, FEED_COLUMNS) && named(1, DAY_COLUMNS)).then_some(Shape::Plain));
    };
    let names: Vec<String> = cells(first, by)
        .map(|(_, cell)| unquote(cell).trim().to_ascii_lowercase())
        .collect();
    let find = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
    match (find(FEED_COLUMNS), find(DAY_COLUMNS)) {
        (Some(feed), Some(day)) => Ok(Some(Shape::Delimited {
            by,
            feed,
            day,
            hour: find(HOUR_COLUMNS),
        })),
        (feed, _) => {
            let (lacks, names) = if feed.is_none() {
                ("feed", FEED_COLUMNS)
            } else {
                ("day", DAY_COLUMNS)
            };
            Err(Loose::of(
                Diagnostic::error(
                    "mismatch-no-columns",
                    format!("the header names no {lacks} column, so no row can be read"),
                    Span::new(0, first.len()),
                )
                .with_hint(format!(
                    "name the {lacks} column one of {}",
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            ))
        }
    }
}

/// The cells of a delimited line with their offsets; a quoted cell may hold the delimiter.
fn cells(line: &str, by: u8) -> impl Iterator<Item = (usize, &str)> {
    let b = line.as_bytes();
    let mut at = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let start = at;
        let mut quoted = false;
        while at < b.len() {
            match b[at] {
                b'"' => quoted = !quoted,
                c if c == by && !quoted => break,
                _ => {}
            }
            at += 1;
        }
        let cell = &line[start..at];
        if at >= b.len() {
            done = true;
        }
        at += 1;
        Some((start, cell))
    })
}

/// A CSV cell without its quotes (`"a ""b"""` → `a "b"`), trimmed.
fn unquote(cell: &str) -> String {
    let t = cell.trim();
    match t.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => t.to_owned(),
    }
}

/// One row's cells, each with its offset in the line (for the finding's column).
struct Row {
    feed: Option<(usize, String)>,
    day: Option<(usize, String)>,
    hour: Option<(usize, String)>,
}

/// The names a row may give a feed, in the catalog's order: each feed's name, then its
/// aliases, with the feed's index.
fn names_of(catalog: &Catalog) -> impl Iterator<Item = (&str, u32)> {
    (0u32..).zip(&catalog.feeds).flat_map(|(i, feed)| {
        std::iter::once(feed.name.as_str())
            .chain(feed.aliases.iter().map(String::as_str))
            .map(move |name| (name, i))
    })
}

/// [`names_of`] sorted by name (the catalog keeps each name to one feed: `feed-alias-taken`).
fn feed_names(catalog: &Catalog) -> Vec<(&str, u32)> {
    let names: Vec<_> = names_of(catalog).collect();
    let order = crate::order::stable_order(names.len(), &|a, b| names[a].0 < names[b].0);
    order.into_iter().map(|i| names[i]).collect()
}

struct Reader<'c> {
    catalog: &'c Catalog,
    /// Every name a row may give a feed (its name and its aliases) with the feed's index,
    /// sorted: a row's feed is one binary search, however many feeds and aliases there are.
    names: Vec<(&'c str, u32)>,
    today: Day,
    findings: Vec<Diagnostic>,
    rows: usize,
    refused: usize,
    set: Vec<Mismatch>,
}

impl Reader<'_> {
    fn row(&mut self, shape: &Shape, start: usize, line: &str) {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            return;
        }
        self.rows += 1;
        let row = match shape {
            Shape::Delimited {
                by,
                feed,
                day,
                hour,
            } => {
                let all: Vec<(usize, &str)> = cells(line, *by).collect();
                let cell = |i: usize| all.get(i).map(|(at, c)| (*at, unquote(c)));
                Row {
                    feed: cell(*feed),
                    day: cell(*day),
                    hour: hour.and_then(cell),
                }
            }
            Shape::JsonLines => match json_row(line) {
                Ok(row) => row,
                Err(why) => {
                    self.refused += 1;
                    self.findings.push(why.at(start));
                    return;
                }
            },
            Shape::Plain => {
                let mut words = line
                    .split_whitespace()
                    .map(|w| (w.as_ptr() as usize - line.as_ptr() as usize, w.to_owned()));
                Row {
                    feed: words.next(),
                    day: words.next(),
                    hour: words.next(),
                }
            }
        };
        match self.check(line, row) {
            Ok(m) => self.set.push(m),
            Err(loose) => {
                self.refused += 1;
                self.findings.push(loose.at(start));
            }
        }
    }

    /// The row as a mismatch, or the finding that refuses it (relative to the line).
    fn check(&self, line: &str, row: Row) -> Result<Mismatch, Loose> {
        let whole = Span::new(0, line.len());
        let filled = |cell: Option<(usize, String)>| cell.filter(|(_, c)| !c.trim().is_empty());
        let (feed, day) = (filled(row.feed), filled(row.day));
        let lacks = match (&feed, &day) {
            (None, None) => "feed and no day",
            (None, _) => "feed",
            (_, None) => "day",
            _ => "",
        };
        let (Some((feed_at, feed)), Some((day_at, day))) = (feed, day) else {
            return Err(Loose::of(
                Diagnostic::error(
                    "mismatch-unreadable-row",
                    format!("this row has no {lacks}"),
                    whole,
                )
                .with_hint("each row names a feed and a day, e.g. `clicks,2023-08-26`"),
            ));
        };
        let span_of = |at: usize, text: &str| Span::new(at, at + text.len().max(1));
        let index = self
            .feed_index(&feed)
            .ok_or_else(|| self.unknown_feed(&feed, span_of(feed_at, &feed)))?;
        let facts = &self.catalog.feeds[index as usize];
        let day_span = span_of(day_at, &day);
        let day = parse_day(&day).map_err(|why| {
            Loose::of(
                Diagnostic::error("mismatch-invalid-day", why, day_span).with_hint(
                    "write the day as 2023-08-26, 20230826 or a timestamp such as \
                     2023-08-26T13:00:00Z (its UTC date is taken)",
                ),
            )
        })?;
        if day < facts.since {
            return Err(Loose::of(
                Diagnostic::error(
                    "mismatch-before-since",
                    format!(
                        "`{}` has no partitions before {}, so {day} cannot be backfilled",
                        facts.name, facts.since
                    ),
                    day_span,
                )
                .with_hint("check the day, or the feed's `since` in the catalog"),
            ));
        }
        if day > self.today {
            return Err(Loose::of(
                Diagnostic::error(
                    "mismatch-future-day",
                    format!("{day} is in the future (today is {})", self.today),
                    day_span,
                )
                .with_hint("a mismatch is about a day that has data: check the day's column"),
            ));
        }
        let hours = match row.hour.filter(|(_, h)| !h.trim().is_empty()) {
            None => HourSet::FULL,
            Some((at, text)) => {
                let span = span_of(at, &text);
                let hours = parse_hours(&text).ok_or_else(|| {
                    Loose::of(
                        Diagnostic::error(
                            "mismatch-invalid-hour",
                            format!("`{text}` is not an hour of the day (0 to 23)"),
                            span,
                        )
                        .with_hint("write an hour 0 to 23, a range `0-11`, or leave it empty for the whole day"),
                    )
                })?;
                if !facts.hourly && !hours.is_full() {
                    return Err(Loose::of(
                        Diagnostic::error(
                            "mismatch-hour-on-daily-feed",
                            format!("`{}` has no hourly partitions: an hour cannot be backfilled alone", facts.name),
                            span,
                        )
                        .with_hint("leave the hour empty to backfill the whole day, or mark the feed `hourly: true` in the catalog"),
                    ));
                }
                hours
            }
        };
        Ok(Mismatch {
            feed: index,
            day,
            hours,
        })
    }

    /// The catalog feed a name stands for: itself, one of the feed's `aliases`, or the last
    /// part of a qualified name (`silver.clicks`).
    fn feed_index(&self, name: &str) -> Option<u32> {
        let by = |wanted: &str| {
            let at = self.names.partition_point(|&(n, _)| n < wanted);
            self.names
                .get(at)
                .filter(|&&(n, _)| n == wanted)
                .map(|&(_, i)| i)
        };
        by(name).or_else(|| by(name.rsplit('.').next().unwrap_or(name)))
    }

    fn unknown_feed(&self, name: &str, span: Span) -> Loose {
        let names = || names_of(self.catalog).map(|(name, _)| name);
        // A misspelt alias (`silver.click_evnts`) is near as a whole; a misspelt feed in a
        // qualified name (`silver.clcks`), by its last part.
        let last = name.rsplit('.').next().unwrap_or(name);
        let hint = (suggest::hint(name, names()))
            .or_else(|| suggest::hint(last, names()))
            .unwrap_or_else(|| {
                "use a feed of the catalog or one of its aliases (a qualified name is read by \
                 its last part)"
                    .to_owned()
            });
        Loose::of(
            Diagnostic::error(
                "mismatch-unknown-feed",
                format!("`{name}` is no feed of the catalog"),
                span,
            )
            .with_hint(hint),
        )
    }

    fn finish(self) -> Mismatches {
        // Sorted by feed, then day, by one packed-key sort (order.rs); repeated (feed, day)
        // rows become one, with their hours united.
        let mut keys: Vec<u128> = (self.set.iter())
            .map(|m| {
                u128::from(m.feed) << 64 | order::day_bits(m.day) << 32 | u128::from(m.hours.0)
            })
            .collect();
        order::sort_keys(&mut keys);
        let mut merged: Vec<Mismatch> = Vec::with_capacity(keys.len());
        for key in keys {
            let m = Mismatch {
                feed: (key >> 64) as u32,
                day: order::day_of_bits(key >> 32),
                hours: HourSet(key as u32),
            };
            match merged.last_mut() {
                Some(last) if (last.feed, last.day) == (m.feed, m.day) => {
                    last.hours = last.hours.union(m.hours);
                }
                _ => merged.push(m),
            }
        }
        let (findings, totals) = findings::for_display(self.findings);
        Mismatches {
            rows: self.rows,
            refused: self.refused,
            set: merged,
            findings,
            totals,
        }
    }
}

/// `2023-08-26`, `20230826`, or a timestamp `2023-08-26T13:00:00[.123][Z|+02:00]` (a space for
/// the `T` too; no zone is UTC), as its UTC date.
pub(crate) fn parse_day(text: &str) -> Result<Day, String> {
    let text = text.trim();
    let b = text.as_bytes();
    let impossible = |e: DayError| match e {
        DayError::Impossible(why) => format!("`{text}` is no day: {why}"),
        DayError::Format => format!("`{text}` is not a day"),
    };
    if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        let iso = format!("{}-{}-{}", &text[..4], &text[4..6], &text[6..]);
        return Day::parse(&iso).map_err(impossible);
    }
    let Some(date) = text.get(..10) else {
        return Day::parse(text).map_err(impossible);
    };
    let day = Day::parse(date).map_err(impossible)?;
    let rest = &text[10..];
    if rest.is_empty() {
        return Ok(day);
    }
    let time = rest
        .strip_prefix(['T', ' '])
        .ok_or_else(|| format!("`{text}` is not a day"))?;
    let minutes = utc_offset_minutes(time).ok_or_else(|| {
        format!("`{text}` is not a timestamp (2023-08-26T13:00:00Z, or with an offset +02:00)")
    })?;
    Ok(day.plus_days(minutes.div_euclid(24 * 60)))
}

/// The minutes after the day's UTC midnight of a time `HH:MM[:SS[.fff]][Z|±HH:MM]`.
fn utc_offset_minutes(time: &str) -> Option<i32> {
    let two = |s: &str| -> Option<i32> {
        (s.len() == 2 && s.bytes().all(|c| c.is_ascii_digit())).then(|| s.parse().ok())?
    };
    let hh = two(time.get(..2)?)?;
    let mm = two(time.get(3..5)?)?;
    if time.as_bytes().get(2) != Some(&b':') || hh > 23 || mm > 59 {
        return None;
    }
    let mut rest = &time[5..];
    if let Some(seconds) = rest.strip_prefix(':') {
        two(seconds.get(..2)?).filter(|s| *s <= 60)?;
        rest = &seconds[2..];
        if let Some(fraction) = rest.strip_prefix('.') {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            rest = &fraction[digits..];
        }
    }
    let offset = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let zone = &rest[1..];
            let (oh, om) = match zone.len() {
                5 if zone.as_bytes()[2] == b':' => (two(&zone[..2])?, two(&zone[3..])?),
                4 => (two(&zone[..2])?, two(&zone[2..])?),
                2 => (two(zone)?, 0),
                _ => return None,
            };
            sign * (oh * 60 + om)
        }
    };
    Some(hh * 60 + mm - offset)
}

/// An hour `5`, a range `0-11`, or several of them split by `,` or spaces (`0,5-7`).
fn parse_hours(text: &str) -> Option<HourSet> {
    let mut set = HourSet::default();
    for item in text.split([',', ' ', ';']).filter(|s| !s.is_empty()) {
        let hour = |s: &str| s.trim().parse::<u8>().ok().filter(|h| *h < 24);
        let (from, to) = match item.split_once('-') {
            Some((a, b)) => (hour(a)?, hour(b)?),
            None => {
                let h = hour(item)?;
                (h, h)
            }
        };
        if from > to {
            return None;
        }
        set.insert_range(from, to);
    }
    (!set.is_empty()).then_some(set)
}

/// A JSON Lines row: a flat object whose keys name the columns; other keys are ignored.
fn json_row(line: &str) -> Result<Row, Loose> {
    let unreadable = |why: &str| {
        Loose::of(
            Diagnostic::error(
                "mismatch-unreadable-row",
                format!("this line is not a JSON object of text and numbers: {why}"),
                Span::new(0, line.len()),
            )
            .with_hint(
                r#"write one object per line, e.g. {"feed": "clicks", "date": "2023-08-26"}"#,
            ),
        )
    };
    let mut row = Row {
        feed: None,
        day: None,
        hour: None,
    };
    let mut scan = Scan { line, at: 0 };
    scan.space();
    if !scan.eat(b'{') {
        return Err(unreadable("it does not start with `{`"));
    }
    scan.space();
    if scan.eat(b'}') {
        return Ok(row);
    }
    loop {
        scan.space();
        let key = scan
            .string()
            .ok_or_else(|| unreadable("a key is not a string"))?;
        scan.space();
        if !scan.eat(b':') {
            return Err(unreadable("a key has no `:`"));
        }
        scan.space();
        let at = scan.at;
        let value = scan
            .value()
            .ok_or_else(|| unreadable("a value is not text, a number or null"))?;
        let key = key.to_ascii_lowercase();
        let slot = if FEED_COLUMNS.contains(&key.as_str()) {
            &mut row.feed
        } else if DAY_COLUMNS.contains(&key.as_str()) {
            &mut row.day
        } else if HOUR_COLUMNS.contains(&key.as_str()) {
            &mut row.hour
        } else {
            scan.space();
            if scan.eat(b',') {
                continue;
            }
            break;
        };
        if slot.is_none() {
            *slot = value.map(|v| (at, v));
        }
        scan.space();
        if !scan.eat(b',') {
            break;
        }
    }
    scan.space();
    if !scan.eat(b'}') || scan.at != line.trim_end().len() {
        return Err(unreadable("it does not end with `}`"));
    }
    Ok(row)
}

/// A cursor over one JSON line (flat objects only: what a mismatch row is).
struct Scan<'l> {
    line: &'l str,
    at: usize,
}

impl Scan<'_> {
    fn space(&mut self) {
        while self
            .line
            .as_bytes()
            .get(self.at)
            .is_some_and(u8::is_ascii_whitespace)
        {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        let hit = self.line.as_bytes().get(self.at) == Some(&byte);
        self.at += usize::from(hit);
        hit
    }

    /// A string with its escapes undone.
    fn string(&mut self) -> Option<String> {
        if !self.eat(b'"') {
            return None;
        }
        let mut out = String::new();
        let mut chars = self.line[self.at..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.at += i + 1;
                    return Some(out);
                }
                '\\' => match chars.next()?.1 {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'u' => {
                        let hex: String = (0..4)
                            .filter_map(|_| chars.next().map(|(_, c)| c))
                            .collect();
                        out.push(
                            char::from_u32(u32::from_str_radix(&hex, 16).ok()?)
                                .unwrap_or('\u{fffd}'),
                        );
                    }
                    other => out.push(other),
                },
                c => out.push(c),
            }
        }
        None
    }

    /// A string or a number as text (`None` inside for null, a boolean, an object or a
    /// list: no column of ours holds one, another column may).
    fn value(&mut self) -> Option<Option<String>> {
        for word in ["null", "true", "false"] {
            if self.line[self.at..].starts_with(word) {
                self.at += word.len();
                return Some(None);
            }
        }
        match self.line.as_bytes().get(self.at)? {
            b'"' => self.string().map(Some),
            b'{' | b'[' => self.nested().then_some(None),
            b'-' | b'0'..=b'9' => {
                let len = self.line[self.at..]
                    .bytes()
                    .take_while(|b| {
                        b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')
                    })
                    .count();
                let number = self.line[self.at..self.at + len].to_owned();
                self.at += len;
                Some(Some(number))
            }
            _ => None,
        }
    }

    /// Skips an object or a list (strings in it may hold brackets).
    fn nested(&mut self) -> bool {
        let mut depth = 0usize;
        while let Some(&b) = self.line.as_bytes().get(self.at) {
            match b {
                b'"' => {
                    if self.string().is_none() {
                        return false;
                    }
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        self.at += 1;
                        return true;
                    }
                }
                _ => {}
            }
            self.at += 1;
        }
        false
    }
}
