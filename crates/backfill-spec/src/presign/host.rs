//! Where the spec is about to go. AWS S3's own endpoints, this computer and the hosts the
//! catalog allows are expected; any other host gets a warning before anything is sent, for
//! a pasted URL decides who receives the spec and the signature.
//!
//! Hosts come from `put::Url`: ASCII-lowercased, userinfo and port already taken off, an
//! IPv6 address in brackets. One trailing dot is ignored: `s3.amazonaws.com.` is the same
//! name in DNS, and the request goes to the same servers.

use super::finding as diagnostic;
use crate::{Diagnostic, Severity};

/// `host` without its one trailing dot, if it has one.
pub(super) fn dns_name(host: &str) -> &str {
    host.strip_suffix('.').unwrap_or(host)
}

/// The warning for a host that is none of the expected ones; None when it is one of them.
pub(super) fn finding(host: &str, allowed: &[String]) -> Option<Diagnostic> {
    let name = dns_name(host);
    if is_loopback(name) || is_s3(name) || is_allowed(name, allowed) {
        return None;
    }
    // A look-alike letter (a Cyrillic `а` in `amazonaws`) is shown as its code point, so
    // the message cannot itself display the name it imitates.
    let mut shown = String::new();
    for c in host.chars() {
        if c.is_ascii() {
            shown.push(c);
        } else {
            shown.extend(c.escape_unicode());
        }
    }
    let mut message = String::from("The spec is about to go to ");
    message.push_str(&shown);
    message.push_str(
        ", which is not an AWS S3 endpoint (*.amazonaws.com), this computer, or a host this \
         site's catalog allows",
    );
    if !host.is_ascii() {
        message.push_str(
            "; its name holds characters outside ASCII (shown as \\u{…}), which can imitate a \
             familiar name",
        );
    }
    let mut hint = String::from("Upload only if you trust ");
    hint.push_str(&shown);
    hint.push_str(
        ": whoever runs it receives the spec. If it is your own S3-compatible endpoint, list it \
         in the catalog's upload.allowed_hosts and this warning goes away.",
    );
    Some(diagnostic(
        Severity::Warning,
        "presign-unexpected-host",
        message,
        hint,
    ))
}

/// `localhost`, 127.0.0.0/8 and `[::1]` (a [`dns_name`]): this computer (local-s3, MinIO on
/// a laptop).
pub(super) fn is_loopback(host: &str) -> bool {
    let octets: Vec<&str> = host.split('.').collect();
    let ipv4_loopback = octets.len() == 4
        && octets[0] == "127"
        && octets
            .iter()
            .all(|o| o.bytes().all(|b| b.is_ascii_digit()) && o.parse::<u8>().is_ok());
    host == "localhost" || host == "[::1]" || ipv4_loopback
}

/// AWS S3: `[labels.]S3[.dualstack][.REGION][.vpce].amazonaws.com[.cn]`, where S3 is `s3`,
/// `s3-…` (`s3-eu-west-1`, `s3-fips`, `s3-accesspoint`, `s3-accelerate`, `s3-global`, …) or
/// `s3express-…`. Anything may come before (bucket, access point), nothing else after: other
/// hosts under amazonaws.com can be anyone's (a load balancer named `s3` is
/// `s3-123.us-east-1.elb.amazonaws.com`, an EC2 instance `ec2-….compute-1.amazonaws.com`).
fn is_s3(host: &str) -> bool {
    let Some(base) = host
        .strip_suffix(".amazonaws.com")
        .or_else(|| host.strip_suffix(".amazonaws.com.cn"))
    else {
        return false;
    };
    let mut labels: Vec<&str> = base.split('.').collect();
    let plain = |label: &&str| {
        !label.is_empty()
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    };
    if !labels.iter().all(plain) {
        return false;
    }
    let vpce = labels.last() == Some(&"vpce");
    if vpce {
        labels.pop();
    }
    if labels.last().is_some_and(|l| is_region(l)) {
        labels.pop();
    } else if vpce {
        return false;
    }
    if labels.last() == Some(&"dualstack") {
        labels.pop();
    }
    labels.last().is_some_and(|label| {
        *label == "s3"
            || label
                .strip_prefix("s3-")
                .or_else(|| label.strip_prefix("s3express-"))
                .is_some_and(|rest| !rest.is_empty())
    })
}

/// `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`: parts of lowercase letters
/// joined by `-`, then a number.
fn is_region(label: &str) -> bool {
    let parts: Vec<&str> = label.split('-').collect();
    let Some((number, words)) = parts.split_last() else {
        return false;
    };
    words.len() >= 2
        && words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// The catalog's `upload.allowed_hosts` (lowercase: the catalog drops other entries): a name
/// as written, or `*.example.com` for every name under example.com (not example.com itself).
fn is_allowed(host: &str, allowed: &[String]) -> bool {
    allowed.iter().any(|entry| match entry.strip_prefix("*.") {
        Some(domain) => host
            .strip_suffix(domain)
            .and_then(|sub| sub.strip_suffix('.'))
            .is_some_and(|sub| !sub.is_empty()),
        None => host == entry,
    })
}
