//! `upload.allowed_hosts`: the hosts, besides AWS S3's and this computer's, that uploads may
//! go to without a warning (an S3-compatible endpoint of the deployment's own). The app
//! compares them with the host of a pasted URL as they are, so only plain lowercase names are
//! kept: anything else would never match, or would match more than was meant.
//!
//! `upload.presign`: the endpoint the Upload panel asks for a target (presign::endpoint).

use super::Decoder;
use crate::presign::endpoint;
use crate::yaml::Node;
use crate::{Catalog, Diagnostic};

const PATH: &str = "/upload/allowed_hosts";

/// The valid names of `upload.allowed_hosts`; each other one is reported and left out.
pub(super) fn allowed_hosts(d: &mut Decoder<'_>, key: &Node, value: &Node) -> Vec<String> {
    let mut locs = Vec::new();
    let names = d.text_list(key, value, PATH, &mut locs).unwrap_or_default();
    let mut out = Vec::with_capacity(names.len());
    for (name, loc) in names.into_iter().zip(locs) {
        let Some(problem) = problem(&name) else {
            out.push(name);
            continue;
        };
        let hint = match fixed(&name) {
            Some(fixed) => format!("write `{fixed}`"),
            None => "write a host name such as `minio.example.com`, or `*.example.com` for every \
                     name under example.com"
                .to_owned(),
        };
        d.push(
            Diagnostic::error(
                "invalid-allowed-host",
                format!("`{name}` is not a plain host name: {problem}; it is left out"),
                loc.span,
            )
            .with_hint(hint)
            .with_path(loc.path),
        );
    }
    out
}

/// Why `name` cannot be listed; None when it can: labels of lowercase ASCII letters, digits
/// and `-`, maybe after a `*.` that stands for any names before a domain of two labels or
/// more.
fn problem(name: &str) -> Option<&'static str> {
    let domain = name.strip_prefix("*.").unwrap_or(name);
    let label_ok = |label: &str| {
        (1..=63).contains(&label.len())
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    Some(if name.is_empty() {
        "the entry is empty"
    } else if name.starts_with('[') {
        "an IPv6 address cannot be listed (an IPv4 one can)"
    } else if name.contains([':', '/', '@']) {
        "list the host alone, without scheme, user, port or path"
    } else if name.bytes().any(|b| b.is_ascii_uppercase()) {
        "host names are compared in lowercase"
    } else if !name.is_ascii() {
        "a name outside ASCII is listed in its punycode form (xn--…), the one a browser sends"
    } else if name.ends_with('.') {
        "list it without the trailing dot (the app ignores one when it compares)"
    } else if domain.contains('*') {
        "a wildcard is `*.` at the start only"
    } else if name.starts_with("*.") && !domain.contains('.') {
        "`*.` must come before a domain of two labels or more: this would allow a whole \
         top-level domain"
    } else if name.len() > 253 || !domain.split('.').all(label_ok) {
        "each label is 1 to 63 letters, digits or `-`, neither starting nor ending with `-`"
    } else {
        return None;
    })
}

/// `name` made plain when that is all it lacks: `https://MinIO.example.com:9000/` →
/// `minio.example.com`.
fn fixed(name: &str) -> Option<String> {
    let rest = name.split_once("://").map_or(name, |(_, rest)| rest);
    let rest = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let rest = rest.rsplit('@').next().unwrap_or_default();
    let rest = match rest.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => rest,
    };
    let fixed = rest.trim_end_matches('.').to_ascii_lowercase();
    (fixed != name && problem(&fixed).is_none()).then_some(fixed)
}

/// `upload.presign: {url: …}`: the endpoint's URL, when it is one the app may call.
pub(super) fn presign(d: &mut Decoder<'_>, node: &Node) -> Option<String> {
    const AT: &str = "/upload/presign";
    if node.is_null()
        || !d.expect_map(
            node,
            AT,
            "`upload.presign`",
            "`{url: https://presign.example.com/backfills}`",
        )
    {
        return None;
    }
    d.unknown_keys(node, AT, &["url"], "`upload.presign`");
    let Some((key, value)) = node.entry("url") else {
        d.missing(node, AT, "url", "`upload.presign`");
        return None;
    };
    let url = d.text(key, value, "/upload/presign/url")?;
    let Some(problem) = endpoint::url_problem(&url) else {
        return Some(url);
    };
    d.push(
        Diagnostic::error(
            "invalid-presign-url",
            // The URL is not quoted: it may hold a password, and the app shows catalog
            // findings to every user.
            format!(
                "this URL cannot be the presign endpoint: {problem}; uploads are pasted instead"
            ),
            value.span,
        )
        .with_hint(
            "write an https:// URL (`https://presign.example.com/backfills`), a path on this \
             site (`/presign`), or http://127.0.0.1:… for a local test",
        )
        .with_path("/upload/presign/url"),
    );
    None
}

/// What a site serving this catalog must add to its CSP's `connect-src`, beyond its own
/// origin and S3's endpoints: `https://` and each allowed host, then the presign endpoint's
/// origin (none for a path on the site). `make dist` writes them into the site's policy.
pub fn connect_sources(catalog: &Catalog) -> Vec<String> {
    let mut out: Vec<String> = catalog
        .upload_allowed_hosts
        .iter()
        .map(|host| format!("https://{host}"))
        .collect();
    if let Some(origin) = catalog
        .upload_presign
        .as_deref()
        .and_then(endpoint::origin_of)
        && !out.contains(&origin)
    {
        out.push(origin);
    }
    out
}
