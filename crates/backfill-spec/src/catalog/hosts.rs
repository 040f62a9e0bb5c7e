//! `upload.allowed_hosts`: the hosts, besides AWS S3's and this computer's, that uploads may
//! go to without a warning (an S3-compatible endpoint of the deployment's own). The app
//! compares them with the host of a pasted URL as they are, so only plain lowercase names are
//! kept: anything else would never match, or would match more than was meant.

use super::Decoder;
use crate::Diagnostic;
use crate::yaml::Node;

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
