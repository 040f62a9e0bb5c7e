//! What the web app's lint worker and its page send each other, as bytes: a request (today,
//! the catalog's text, the spec text) and the answer (an [`Analysis`] without its plan).
//!
//! The plan is not sent: it is rebuilt from the spec on the receiving side, where
//! [`plan::build`] gives the same plan for the same spec and catalog. A spec is far smaller
//! than its plan, and the page needs the plan's own types anyway.
//!
//! The format is private to one build of the app (both sides run the same wasm), so it has
//! no version: lengths and numbers are little-endian `u32`/`i64`, an `Option` is a tag byte,
//! a list is its length then its items. Reading never panics: bytes that are not a whole
//! message give `None`.

use crate::fields::{At, Kind, Place, Value};
use crate::{
    Analysis, Catalog, Day, Diagnostic, Feeds, InputKind, Options, Severity, Span, Spec, Totals,
    analyze, catalog, plan,
};

/// A lint request: what [`answer`] needs to analyse a text as the page would.
pub fn request(today: Day, catalog: Option<&str>, text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + catalog.map_or(0, str::len) + 16);
    today.days_since(Day::EPOCH).put(&mut out);
    catalog.map(str::to_owned).put(&mut out);
    text.to_owned().put(&mut out);
    out
}

/// The worker's side: reads a request, analyses its text against its catalog (the demo one
/// when it has none) and writes the analysis. An unreadable request gets an empty answer.
pub fn answer(request: &[u8]) -> Vec<u8> {
    let r = &mut Reader(request);
    let (Some(today), Some(source), Some(text)) =
        (i32::read(r), Option::<String>::read(r), String::read(r))
    else {
        return Vec::new();
    };
    let parsed;
    let catalog = match source {
        Some(source) => {
            parsed = catalog::parse(&source).0;
            &parsed
        }
        None => catalog::demo(),
    };
    // `today` comes from another thread's bytes: brought within the supported years.
    let today = Day::EPOCH.plus_days(today).clamped();
    let analysis = analyze(&text, catalog, &Options { today });
    let mut out = Vec::new();
    analysis.kind.put(&mut out);
    analysis.spec.put(&mut out);
    analysis.diagnostics.put(&mut out);
    analysis.totals.put(&mut out);
    analysis.read_whole.put(&mut out);
    out
}

/// The page's side: the analysis in an answer, with its plan built against `catalog` (the
/// catalog whose text went into the request).
pub fn read_answer(answer: &[u8], catalog: &Catalog) -> Option<Analysis> {
    let r = &mut Reader(answer);
    let kind = InputKind::read(r)?;
    let spec = Option::<Spec>::read(r)?;
    let diagnostics = Vec::read(r)?;
    let totals = Totals::read(r)?;
    let read_whole = bool::read(r)?;
    if !r.0.is_empty() {
        return None;
    }
    Some(Analysis {
        kind,
        plan: spec.as_ref().map(|s| plan::build(s, catalog)),
        spec,
        diagnostics,
        totals,
        read_whole,
    })
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn bytes<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.0.split_first_chunk::<N>()?;
        self.0 = rest;
        Some(*head)
    }
}

trait Wire: Sized {
    fn put(&self, out: &mut Vec<u8>);
    fn read(r: &mut Reader) -> Option<Self>;
}

impl Wire for u8 {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(*self);
    }
    fn read(r: &mut Reader) -> Option<Self> {
        Some(r.bytes::<1>()?[0])
    }
}

impl Wire for u32 {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn read(r: &mut Reader) -> Option<Self> {
        r.bytes().map(u32::from_le_bytes)
    }
}

impl Wire for i32 {
    fn put(&self, out: &mut Vec<u8>) {
        (*self as u32).put(out);
    }
    fn read(r: &mut Reader) -> Option<Self> {
        u32::read(r).map(|n| n as i32)
    }
}

impl Wire for i64 {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn read(r: &mut Reader) -> Option<Self> {
        r.bytes().map(i64::from_le_bytes)
    }
}

/// Offsets into a text: the app's texts are far below 4 GiB.
impl Wire for usize {
    fn put(&self, out: &mut Vec<u8>) {
        (*self as u32).put(out);
    }
    fn read(r: &mut Reader) -> Option<Self> {
        u32::read(r).map(|n| n as usize)
    }
}

impl Wire for String {
    fn put(&self, out: &mut Vec<u8>) {
        self.len().put(out);
        out.extend_from_slice(self.as_bytes());
    }
    fn read(r: &mut Reader) -> Option<Self> {
        let len = usize::read(r)?;
        let bytes = r.0.get(..len)?;
        r.0 = &r.0[len..];
        String::from_utf8(bytes.to_vec()).ok()
    }
}

impl<T: Wire> Wire for Option<T> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.put(out);
            }
        }
    }
    fn read(r: &mut Reader) -> Option<Self> {
        match u8::read(r)? {
            0 => Some(None),
            1 => T::read(r).map(Some),
            _ => None,
        }
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn put(&self, out: &mut Vec<u8>) {
        self.len().put(out);
        for item in self {
            item.put(out);
        }
    }
    fn read(r: &mut Reader) -> Option<Self> {
        // No capacity from the length: a damaged one must not allocate gigabytes.
        let len = usize::read(r)?;
        let mut items = Vec::new();
        for _ in 0..len {
            items.push(T::read(r)?);
        }
        Some(items)
    }
}

impl<A: Wire, B: Wire> Wire for (A, B) {
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
    }
    fn read(r: &mut Reader) -> Option<Self> {
        Some((A::read(r)?, B::read(r)?))
    }
}

impl Wire for Span {
    fn put(&self, out: &mut Vec<u8>) {
        (self.start, self.end).put(out);
    }
    fn read(r: &mut Reader) -> Option<Self> {
        let (start, end) = Wire::read(r)?;
        Some(Span { start, end })
    }
}

impl Wire for Diagnostic {
    fn put(&self, out: &mut Vec<u8>) {
        self.severity.put(out);
        self.code.to_string().put(out);
        self.message.put(out);
        self.hint.put(out);
        self.span.put(out);
        self.path.put(out);
        self.related.put(out);
        self.count.put(out);
    }
    fn read(r: &mut Reader) -> Option<Self> {
        Some(Diagnostic {
            severity: Wire::read(r)?,
            code: String::read(r)?.into(),
            message: Wire::read(r)?,
            hint: Wire::read(r)?,
            span: Wire::read(r)?,
            path: Wire::read(r)?,
            related: Wire::read(r)?,
            count: Wire::read(r)?,
        })
    }
}

impl Wire for Totals {
    fn put(&self, out: &mut Vec<u8>) {
        (self.errors, (self.warnings, self.infos)).put(out);
    }
    fn read(r: &mut Reader) -> Option<Self> {
        let (errors, (warnings, infos)) = Wire::read(r)?;
        Some(Totals {
            errors,
            warnings,
            infos,
        })
    }
}

/// A spec is its fields in the description's order (`fields.rs`): each value as its kind
/// has it, a section as a flag then its fields, the entries as a count then each entry.
impl Wire for Spec {
    fn put(&self, out: &mut Vec<u8>) {
        put_section(self, Place::Spec, At::Spec, out);
    }
    fn read(r: &mut Reader) -> Option<Self> {
        let mut spec = Spec::default();
        read_section(&mut spec, Place::Spec, At::Spec, r)?;
        Some(spec)
    }
}

fn put_section(spec: &Spec, place: Place, at: At, out: &mut Vec<u8>) {
    for f in place.fields() {
        match (f.kind, f.get(spec, at)) {
            (Kind::Section(inner), v) => {
                let present = v == Value::Present;
                u8::from(present).put(out);
                if present {
                    put_section(spec, inner, at, out);
                }
            }
            (Kind::Entries, _) => {
                spec.backfills.len().put(out);
                for i in 0..spec.backfills.len() {
                    put_section(spec, Place::Entry, At::Entry(i), out);
                }
            }
            (Kind::Int, v) => match v {
                Value::Int(n) => Some(n),
                _ => None,
            }
            .put(out),
            (Kind::Text | Kind::Target, v) => match v {
                Value::Text(t) => Some(t),
                _ => None,
            }
            .put(out),
            (Kind::Texts | Kind::Hours, v) => match v {
                Value::List(items) => items,
                _ => Vec::new(),
            }
            .put(out),
            // `feeds: all` is no list: `None`.
            (Kind::Feeds, v) => match v {
                Value::Feeds(Feeds::List(names)) => Some(names),
                _ => None,
            }
            .put(out),
            (Kind::Tags, v) => match v {
                Value::Tags(tags) => tags,
                _ => Vec::new(),
            }
            .put(out),
        }
    }
}

fn read_section(spec: &mut Spec, place: Place, at: At, r: &mut Reader) -> Option<()> {
    for f in place.fields() {
        let value = match f.kind {
            Kind::Section(inner) => {
                if !bool::read(r)? {
                    continue;
                }
                f.set(spec, at, Value::Present);
                read_section(spec, inner, at, r)?;
                continue;
            }
            Kind::Entries => {
                // No capacity from the count: a damaged one must not allocate gigabytes.
                for i in 0..usize::read(r)? {
                    spec.backfills.push(Default::default());
                    read_section(spec, Place::Entry, At::Entry(i), r)?;
                }
                continue;
            }
            Kind::Int => Option::<i64>::read(r)?.map_or(Value::Absent, Value::Int),
            Kind::Text | Kind::Target => {
                Option::<String>::read(r)?.map_or(Value::Absent, Value::Text)
            }
            Kind::Texts | Kind::Hours => Value::List(Wire::read(r)?),
            Kind::Feeds => Value::Feeds(Option::read(r)?.map_or(Feeds::All, Feeds::List)),
            Kind::Tags => Value::Tags(Wire::read(r)?),
        };
        f.set(spec, at, value);
    }
    Some(())
}

/// An enum without data is its place in the enum's `ALL`.
fn put_variant<T: PartialEq>(all: &[T], value: &T, out: &mut Vec<u8>) {
    let index = all.iter().position(|v| v == value);
    // `ALL` lists every variant (a test in each enum's module): never `u8::MAX`.
    index.map_or(u8::MAX, |i| i as u8).put(out);
}

fn read_variant<T: Copy>(all: &[T], r: &mut Reader) -> Option<T> {
    all.get(usize::from(u8::read(r)?)).copied()
}

impl Wire for InputKind {
    fn put(&self, out: &mut Vec<u8>) {
        put_variant(&InputKind::ALL, self, out);
    }
    fn read(r: &mut Reader) -> Option<Self> {
        read_variant(&InputKind::ALL, r)
    }
}

impl Wire for Severity {
    fn put(&self, out: &mut Vec<u8>) {
        put_variant(&Severity::ALL, self, out);
    }
    fn read(r: &mut Reader) -> Option<Self> {
        read_variant(&Severity::ALL, r)
    }
}

impl Wire for bool {
    fn put(&self, out: &mut Vec<u8>) {
        u8::from(*self).put(out);
    }
    fn read(r: &mut Reader) -> Option<Self> {
        match u8::read(r)? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ALL` of each enum sent by its place holds every variant: a variant added to the enum
    /// stops this from compiling until it is handled here, and then from passing until `ALL`
    /// has it.
    #[test]
    fn every_variant_is_in_all() {
        let severity = |s: Severity| match s {
            Severity::Error | Severity::Warning | Severity::Info => Severity::ALL.contains(&s),
        };
        assert!(
            [Severity::Error, Severity::Warning, Severity::Info]
                .into_iter()
                .all(severity)
        );
        let kind = |k: InputKind| match k {
            InputKind::Empty | InputKind::Yaml | InputKind::Json | InputKind::UploadedObject => {
                InputKind::ALL.contains(&k)
            }
        };
        assert!(
            [
                InputKind::Empty,
                InputKind::Yaml,
                InputKind::Json,
                InputKind::UploadedObject
            ]
            .into_iter()
            .all(kind)
        );
        for s in Severity::ALL {
            let mut out = Vec::new();
            s.put(&mut out);
            assert_eq!(Severity::read(&mut Reader(&out)), Some(s));
        }
    }
}
