//! Catalog templates: the placeholders each one uses, checked against those it may use,
//! and the ones a working deployment cannot do without.

use super::Decoder;
use crate::yaml::{self, Node};
use crate::{CatalogEmr, CatalogFeed, Diagnostic, Span, suggest};

/// Placeholders a step or message template may use, and those an upload key may use.
const STEP_PLACEHOLDERS: &[&str] = &[
    "feed",
    "date",
    "start",
    "end",
    "hours",
    "name",
    "fingerprint",
];
const KEY_PLACEHOLDERS: &[&str] = &["name", "fingerprint"];

pub(super) fn replay(
    d: &mut Decoder<'_>,
    node: &Node,
    feeds: &[CatalogFeed],
) -> Option<Vec<(String, String)>> {
    if !d.expect_map(
        node,
        "/replay",
        "`replay`",
        "`message: {feed: \"{feed}\", date: \"{date}\"}`",
    ) {
        return None;
    }
    d.unknown_keys(node, "/replay", &["message"], "`replay`");
    let Some(message) = node.get("message") else {
        d.missing(node, "/replay", "message", "`replay`");
        return None;
    };
    if !d.expect_map(
        message,
        "/replay/message",
        "`replay.message`",
        "`{feed: \"{feed}\", date: \"{date}\"}`",
    ) {
        return None;
    }
    let mut out = Vec::new();
    let mut uses = Vec::new();
    for (k, v) in message.entries() {
        let Some(key) = k.scalar() else { continue };
        let path = yaml::child("/replay/message", key);
        let Some(value) = d.text(k, v, &path) else {
            continue;
        };
        uses.extend(placeholders(d, &value, v, &path, STEP_PLACEHOLDERS));
        out.push((key.to_owned(), value));
    }
    for needed in ["feed", "date"] {
        if !uses
            .iter()
            .any(|u| *u == needed || (needed == "date" && (*u == "start" || *u == "end")))
        {
            d.push(missing_placeholder(
                message.span,
                "/replay/message",
                needed,
                "every replay message would look the same",
            ));
        }
    }
    if let Some(feed) = feeds.iter().find(|f| f.replay && f.hourly)
        && !uses.contains(&"hours")
    {
        d.push(missing_placeholder(
            message.span,
            "/replay/message",
            "hours",
            &format!(
                "a replay of some hours of `{}` (hourly) would replay the whole day",
                feed.name
            ),
        ));
    }
    Some(out)
}

pub(super) fn upload(d: &mut Decoder<'_>, node: &Node) -> Option<String> {
    if !d.expect_map(
        node,
        "/upload",
        "`upload`",
        "`key: \"backfills/{name}/{fingerprint}.json\"`, `allowed_hosts: [minio.example.com]` \
         and `presign: {url: https://presign.example.com/backfills}`",
    ) {
        return None;
    }
    d.unknown_keys(
        node,
        "/upload",
        &["key", "allowed_hosts", "presign"],
        "`upload`",
    );
    let (k, v) = node.entry("key")?;
    let key = d.text(k, v, "/upload/key")?;
    let uses = placeholders(d, &key, v, "/upload/key", KEY_PLACEHOLDERS);
    if !uses.contains(&"fingerprint") {
        d.push(missing_placeholder(
            v.span,
            "/upload/key",
            "fingerprint",
            "two different specs of one name would overwrite each other",
        ));
    }
    Some(key)
}

pub(super) fn lint_step_templates(
    d: &mut Decoder<'_>,
    templates: &[(String, &Node, String)],
    emr: &CatalogEmr,
    max_days_loc: Option<Span>,
    feeds: &[CatalogFeed],
    fallback_span: Span,
) {
    let mut uses: Vec<(&'static str, &str)> = Vec::new(); // (placeholder, path)
    for (text, node, path) in templates {
        for p in placeholders(d, text, node, path, STEP_PLACEHOLDERS) {
            uses.push((p, path));
            if p == "date" && emr.max_days_per_step > 1 {
                let mut diag = Diagnostic::error(
                    "date-with-grouping",
                    format!(
                        "`{{date}}` is ambiguous when a step covers up to {} days",
                        emr.max_days_per_step
                    ),
                    placeholder_span(d.source, node, "{date}"),
                )
                .with_hint("use `{start}` and `{end}`, or set max_days_per_step: 1")
                .with_path(path.clone());
                if let Some(at) = max_days_loc {
                    diag = diag.with_related(at, "days are grouped here");
                }
                d.push(diag);
            }
        }
    }
    let in_args = |p: &str| {
        uses.iter()
            .any(|(u, path)| *u == p && path.starts_with("/emr/args"))
    };
    let span = templates
        .iter()
        .find(|t| t.2.starts_with("/emr/args"))
        .map_or(fallback_span, |t| t.1.span);
    if !templates.is_empty() && !in_args("feed") {
        d.push(missing_placeholder(
            span,
            "/emr/args",
            "feed",
            "every feed's step would run the same command",
        ));
    }
    if !templates.is_empty() && !in_args("date") && !in_args("start") {
        d.push(missing_placeholder(
            span,
            "/emr/args",
            "date",
            "every day's step would run the same command",
        ));
    }
    let hours_anywhere = uses.iter().any(|(u, _)| *u == "hours");
    if let Some(hourly) = feeds.iter().find(|f| f.hourly)
        && !hours_anywhere
    {
        d.push(missing_placeholder(
            span,
            "/emr/hours_args",
            "hours",
            &format!(
                "a step for some hours of `{}` (hourly) would not say which hours",
                hourly.name
            ),
        ));
    }
}

fn missing_placeholder(span: Span, path: &str, name: &str, consequence: &str) -> Diagnostic {
    Diagnostic::warning(
        "template-missing-placeholder",
        format!("no template here uses `{{{name}}}`: {consequence}"),
        span,
    )
    .with_hint(format!("add `{{{name}}}` where the value belongs"))
    .with_path(path)
}

/// The placeholders of a template; unknown ones (and ones not allowed here) are reported at
/// the placeholder itself.
fn placeholders(
    d: &mut Decoder<'_>,
    text: &str,
    node: &Node,
    path: &str,
    allowed: &[&str],
) -> Vec<&'static str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        rest = &after[close + 1..];
        // Only identifier-like braces are placeholders: JSON in an argument is literal text.
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            continue;
        }
        let span = placeholder_span(d.source, node, &format!("{{{name}}}"));
        match STEP_PLACEHOLDERS.iter().find(|p| **p == name) {
            Some(known) if allowed.contains(known) => found.push(*known),
            Some(known) => d.push(
                Diagnostic::error(
                    "placeholder-not-allowed",
                    format!("`{{{known}}}` has no value in this template"),
                    span,
                )
                .with_hint(format!("here you can use: {}", list(allowed)))
                .with_path(path),
            ),
            None => {
                let mut diag = Diagnostic::error(
                    "unknown-placeholder",
                    format!("`{{{name}}}` is not a placeholder"),
                    span,
                )
                .with_path(path);
                let hint = suggest::did_you_mean(name, allowed.iter().copied()).map_or_else(
                    || format!("placeholders: {}", list(allowed)),
                    |s| format!("did you mean `{{{s}}}`?"),
                );
                diag = diag.with_hint(hint);
                d.push(diag);
            }
        }
    }
    found
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{{{n}}}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The span of `needle` inside a scalar as written, or the whole scalar when escapes hide it.
fn placeholder_span(source: &str, node: &Node, needle: &str) -> Span {
    let raw = source.get(node.span.start..node.span.end).unwrap_or("");
    raw.find(needle).map_or(node.span, |i| {
        Span::new(node.span.start + i, node.span.start + i + needle.len())
    })
}
