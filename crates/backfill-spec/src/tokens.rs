//! Highlighting: the text cut into tokens by one pass over its lines. It is not the parser:
//! the parse tree has no comments and stops at a syntax error, while this pass keeps going
//! after one (an unclosed bracket colours no worse than the lines after it) and never fails.
//! Work is linear in the text: each byte is looked at a bounded number of times.
//!
//! Only what is coloured is a token; the rest (punctuation, plain text values, blanks) is
//! left to the view as plain text.

use crate::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A mapping key, plain or quoted (`feeds`, `"feeds"` in JSON).
    Key,
    /// A quoted value, or a block scalar's lines (`|`, `>`).
    String,
    /// A day, a range of days or of hours (`2022-08-10`, `2022-07-01..2022-07-31`, `0-11`),
    /// quoted or not.
    Date,
    Number,
    /// `true`, `false`, `null`, `~` and the YAML 1.1 booleans (`yes`, `off`, …).
    Keyword,
    Comment,
    /// `&name`
    Anchor,
    /// `*name`
    Alias,
    /// `!tag`
    Tag,
}

impl TokenKind {
    /// The view's CSS class (`tok-key`).
    pub fn class(self) -> &'static str {
        match self {
            TokenKind::Key => "tok-key",
            TokenKind::String => "tok-string",
            TokenKind::Date => "tok-date",
            TokenKind::Number => "tok-number",
            TokenKind::Keyword => "tok-keyword",
            TokenKind::Comment => "tok-comment",
            TokenKind::Anchor => "tok-anchor",
            TokenKind::Alias => "tok-alias",
            TokenKind::Tag => "tok-tag",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
}

/// What carries from one line to the next.
#[derive(Default)]
struct State {
    /// Inside `[…]` / `{…}`, how deep (never below 0, whatever the brackets).
    flow: usize,
    /// A quoted scalar left open at the end of the previous line, and its quote.
    quote: Option<u8>,
    /// A block scalar (`|`, `>`) runs over the lines indented more than this.
    block: Option<usize>,
}

/// The tokens of `text`, in text order, never overlapping.
pub fn tokens(text: &str) -> Vec<Token> {
    tokens_in(text, Span::new(0, text.len()))
}

/// The tokens of the lines that `range` touches: what a view that draws only the visible
/// lines asks for. The lines before are still read (a quote or a block scalar may run on
/// into the range), but nothing of them is kept, and nothing after the range is read.
pub fn tokens_in(text: &str, range: Span) -> Vec<Token> {
    let mut out = Vec::new();
    let mut state = State::default();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        // Past the range; a line starting where a non-empty range ends is not touched by it.
        if start > range.end || (start == range.end && range.end > range.start) {
            break;
        }
        let end = start + line.trim_end_matches(['\n', '\r']).len();
        let kept = out.len();
        line_tokens(text, start, end, &mut state, &mut out);
        // A line wholly before the range (its line break included) keeps only its state.
        if start + line.len() <= range.start {
            out.truncate(kept);
        }
        start += line.len();
    }
    out
}

/// The tokens of the line `text[start..end]` (without its end of line).
fn line_tokens(text: &str, start: usize, end: usize, state: &mut State, out: &mut Vec<Token>) {
    let b = text.as_bytes();
    let indent = b[start..end].iter().take_while(|&&c| c == b' ').count();
    let blank = start + indent == end;
    if let Some(block) = state.block {
        if blank || indent > block {
            if !blank {
                push(out, start + indent, end, TokenKind::String);
            }
            return;
        }
        state.block = None;
    }
    let mut i = start;
    if let Some(q) = state.quote {
        let close = closing_quote(b, i, end, q);
        push(out, i, close.unwrap_or(end), TokenKind::String);
        match close {
            Some(c) => {
                state.quote = None;
                i = c;
            }
            None => return,
        }
    }
    // Where a value may start: a block scalar indicator is read only there.
    let mut value_position = true;
    while i < end {
        let c = b[i];
        match c {
            b' ' | b'\t' => {
                i += 1;
                continue;
            }
            b'#' if i == start || matches!(b[i - 1], b' ' | b'\t') => {
                push(out, i, end, TokenKind::Comment);
                return;
            }
            b'[' | b'{' => {
                state.flow += 1;
                i += 1;
                value_position = true;
                continue;
            }
            b']' | b'}' => {
                state.flow = state.flow.saturating_sub(1);
                i += 1;
                continue;
            }
            b',' if state.flow > 0 => {
                i += 1;
                value_position = true;
                continue;
            }
            // An indicator before a blank; in a flow, a `:` right after a quoted key too.
            b'-' | b'?' | b':'
                if is_blank_or_end(b, i + 1, end)
                    || (c == b':' && state.flow > 0 && matches!(b[i - 1], b'"' | b'\'')) =>
            {
                i += 1;
                value_position = true;
                continue;
            }
            b'|' | b'>' if value_position && state.flow == 0 => {
                // `|`, `>-`, `|2+`: then only blanks or a comment on the line.
                let mut j = i + 1;
                while j < end && matches!(b[j], b'-' | b'+' | b'0'..=b'9') {
                    j += 1;
                }
                if is_blank_or_end(b, j, end) {
                    state.block = Some(indent);
                    i = j;
                    continue;
                }
            }
            b'&' | b'*' | b'!' => {
                let mut j = i + 1;
                while j < end && !matches!(b[j], b' ' | b'\t' | b',' | b'[' | b']' | b'{' | b'}') {
                    j += 1;
                }
                let kind = match c {
                    b'&' => TokenKind::Anchor,
                    b'*' => TokenKind::Alias,
                    _ => TokenKind::Tag,
                };
                push(out, i, j, kind);
                i = j;
                continue;
            }
            b'"' | b'\'' => {
                let close = closing_quote(b, i + 1, end, c);
                let stop = close.unwrap_or(end);
                let inner = &text[i + 1..close.map_or(end, |c| c - 1)];
                let kind = if close.is_some() && is_key_after(b, stop, end, state.flow, true) {
                    TokenKind::Key
                } else if close.is_some() && is_date(inner) {
                    TokenKind::Date
                } else {
                    TokenKind::String
                };
                push(out, i, stop, kind);
                if close.is_none() {
                    state.quote = Some(c);
                    return;
                }
                i = stop;
                value_position = false;
                continue;
            }
            _ => {}
        }
        // A plain scalar: up to `: `, ` #`, the end of the line, or (in a flow) `,[]{}`.
        let mut j = i;
        while j < end {
            let d = b[j];
            if (d == b':'
                && (is_blank_or_end(b, j + 1, end) || (state.flow > 0 && is_flow(b, j + 1, end))))
                || (d == b'#' && matches!(b[j - 1], b' ' | b'\t'))
                || (state.flow > 0 && matches!(d, b',' | b'[' | b']' | b'{' | b'}'))
            {
                break;
            }
            j += 1;
        }
        if j == i {
            // Not reached (every stop above is a character handled before), but a step of
            // one whole character keeps slicing on boundaries whatever the input.
            j += text[i..].chars().next().map_or(1, char::len_utf8);
        }
        let word_end = i + text[i..j].trim_end().len();
        let kind = if is_key_after(b, j, end, state.flow, false) {
            Some(TokenKind::Key)
        } else {
            value_kind(&text[i..word_end])
        };
        if let Some(kind) = kind {
            push(out, i, word_end, kind);
        }
        i = j;
        value_position = false;
    }
}

fn push(out: &mut Vec<Token>, start: usize, end: usize, kind: TokenKind) {
    if end > start {
        out.push(Token {
            span: Span::new(start, end),
            kind,
        });
    }
}

fn is_blank_or_end(b: &[u8], i: usize, end: usize) -> bool {
    i >= end || matches!(b[i], b' ' | b'\t')
}

fn is_flow(b: &[u8], i: usize, end: usize) -> bool {
    i < end && matches!(b[i], b',' | b'[' | b']' | b'{' | b'}')
}

/// After a scalar ending at `i`: a `:` that makes it a key (blanks allowed before it). After
/// a quoted scalar any `:` does (JSON's `"a":1`); after a plain one, a `:` followed by a
/// blank, or by a flow indicator inside a flow.
fn is_key_after(b: &[u8], i: usize, end: usize, flow: usize, quoted: bool) -> bool {
    let mut j = i;
    while j < end && matches!(b[j], b' ' | b'\t') {
        j += 1;
    }
    j < end
        && b[j] == b':'
        && (quoted || is_blank_or_end(b, j + 1, end) || (flow > 0 && is_flow(b, j + 1, end)))
}

/// Just after the quote that closes a scalar opened before `i` with `q`, if on this line.
/// `\"` escapes in double quotes, `''` in single ones.
fn closing_quote(b: &[u8], mut i: usize, end: usize, q: u8) -> Option<usize> {
    while i < end {
        match b[i] {
            b'\\' if q == b'"' => i += 2,
            c if c == q => {
                if q == b'\'' && i + 1 < end && b[i + 1] == b'\'' {
                    i += 2;
                } else {
                    return Some(i + 1);
                }
            }
            _ => i += 1,
        }
    }
    None
}

fn value_kind(word: &str) -> Option<TokenKind> {
    if word.is_empty() {
        return None;
    }
    if is_date(word) {
        return Some(TokenKind::Date);
    }
    if word == "~"
        || crate::decode::is_yaml11_bool(word)
        || ["null", "Null", "NULL"].contains(&word)
    {
        return Some(TokenKind::Keyword);
    }
    is_number(word).then_some(TokenKind::Number)
}

/// `2022-08-10`, `2022-07-01..2022-07-31`, `0-11` (hours): by their shape only.
fn is_date(word: &str) -> bool {
    let day = |d: &str| {
        let b = d.as_bytes();
        b.len() == 10
            && b.iter().enumerate().all(|(k, &c)| {
                if k == 4 || k == 7 {
                    c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            })
    };
    let hour = |h: &str| (1..=2).contains(&h.len()) && h.bytes().all(|c| c.is_ascii_digit());
    match word.split_once("..") {
        Some((a, b)) => day(a) && day(b),
        None => {
            day(word)
                || word
                    .split_once('-')
                    .is_some_and(|(a, b)| hour(a) && hour(b))
        }
    }
}

fn is_number(word: &str) -> bool {
    let digits = word.strip_prefix(['-', '+']).unwrap_or(word);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && whole.bytes().all(|c| c.is_ascii_digit())
        && fraction.bytes().all(|c| c.is_ascii_digit())
}
