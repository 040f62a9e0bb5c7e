//! Presigned POST forms (`{"url": ..., "fields": {...}}`, boto3's `generate_presigned_post`
//! as JSON, or its Python repr) and the policy inside them, checked the way S3 checks a form:
//! every field named by a condition, every condition met.

use super::put::Url;
use super::{
    APPLICATION_JSON, ContentType, MAX_FORM_PARTS, Method, Target, cut_short, finding, parse_time,
    region_of, scheme_findings, too_many, unreadable,
};
use crate::base64::{self, Alphabet};
use crate::yaml::{self, Node, NodeKind};
use crate::{Diagnostic, Severity};

const SIGV4_FIELDS: [&str; 6] = [
    "key",
    "policy",
    "x-amz-algorithm",
    "x-amz-credential",
    "x-amz-date",
    "x-amz-signature",
];
const SIGV2_FIELDS: [&str; 4] = ["key", "policy", "AWSAccessKeyId", "signature"];
/// Fields S3 does not look for in the policy.
const UNCHECKED: [&str; 5] = [
    "policy",
    "x-amz-signature",
    "signature",
    "awsaccesskeyid",
    "file",
];

pub(super) fn read(text: &str) -> Result<Target, Box<Diagnostic>> {
    let Some(root) = parse_map(text) else {
        return Err(unreadable(
            "This is not valid JSON: a presigned POST form was expected",
        ));
    };
    let Some(url) = root.get("url").and_then(Node::scalar) else {
        return Err(unreadable(
            "This JSON is not a presigned POST form: it has no \"url\"",
        ));
    };
    let Some(split) = Url::split(url) else {
        return Err(unreadable(
            "The form's \"url\" is not an http:// or https:// URL",
        ));
    };
    let mut fields = Vec::new();
    let field_count = match root.get("fields").map(|f| &f.kind) {
        Some(NodeKind::Map(entries)) => {
            for (k, v) in entries.iter().take(MAX_FORM_PARTS) {
                let (Some(k), Some(v)) = (k.scalar(), v.scalar()) else {
                    return Err(unreadable(
                        "The form's \"fields\" hold something other than text",
                    ));
                };
                fields.push((k.to_owned(), v.to_owned()));
            }
            entries.len()
        }
        _ => {
            return Err(unreadable(
                "This JSON is not a presigned POST form: it has no \"fields\" object",
            ));
        }
    };
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };

    let mut findings = Vec::new();
    scheme_findings(&split, &mut findings);
    too_many(field_count, "The form has ", "fields", &mut findings);
    let legacy = field("x-amz-signature").is_none() && field("AWSAccessKeyId").is_some();
    let required: &[&str] = if legacy {
        findings.push(finding(
            Severity::Warning,
            "presign-sigv2",
            "This form has a legacy SigV2 signature: S3 regions opened since 2014 accept only \
             SigV4",
            "Presign with SigV4: boto3.client(\"s3\", config=Config(signature_version=\"s3v4\")).",
        ));
        &SIGV2_FIELDS
    } else {
        &SIGV4_FIELDS
    };
    cut_short(
        "The form lacks the field(s) ",
        required,
        &|n| field(n).is_some(),
        "Copy the whole output of generate_presigned_post again.",
        &mut findings,
    );
    let (url_bucket, _) = split.bucket_and_key();
    let mut target = Target {
        method: Method::Post,
        url: url.to_owned(),
        fields: Vec::new(),
        endpoint: split.endpoint.clone(),
        bucket: url_bucket,
        key: field("key").unwrap_or_default().to_owned(),
        region: region_of(field("x-amz-credential"), &mut findings),
        signed_headers: Vec::new(),
        expires_at: None,
        signed_at: field("x-amz-date").and_then(parse_time),
        size_range: None,
        content_type: ContentType::Free,
        findings: Vec::new(),
    };
    match field("policy").and_then(decode_policy) {
        Some(policy) => check_policy(&policy, &fields, &mut target, &mut findings),
        None if field("policy").is_some() => findings.push(finding(
            Severity::Error,
            "presign-invalid-policy",
            "The policy field is not base64-encoded JSON: the form was cut short or edited",
            "Copy the whole output of generate_presigned_post again.",
        )),
        None => {}
    }
    target.fields = fields;
    target.findings = findings;
    Ok(target)
}

/// The root mapping of a JSON text read whole and without errors.
pub(super) fn parse_map(text: &str) -> Option<Node> {
    let doc = yaml::parse_document(text);
    let ok = doc.complete
        && !doc
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error);
    doc.root
        .filter(|root| ok && matches!(root.kind, NodeKind::Map(_)))
}

fn decode_policy(text: &str) -> Option<Node> {
    parse_map(&String::from_utf8(base64::decode(text, Alphabet::Lenient)?).ok()?)
}

/// One `eq` or `starts-with` condition: `{"name": value}`, `["eq", "$name", value]`,
/// `["starts-with", "$name", prefix]`. `name` lowercased, without its `$`.
struct Condition<'a> {
    exact: bool,
    name: String,
    value: &'a str,
}

fn check_policy(
    policy: &Node,
    fields: &[(String, String)],
    target: &mut Target,
    findings: &mut Vec<Diagnostic>,
) {
    target.expires_at = policy
        .get("expiration")
        .and_then(Node::scalar)
        .and_then(parse_time);
    if target.expires_at.is_none() {
        findings.push(finding(
            Severity::Error,
            "presign-no-expiration",
            "The policy has no expiration S3 can read (expected e.g. 2026-11-28T17:54:54Z)",
            "Presign the form again with boto3's generate_presigned_post.",
        ));
    }
    let mut conditions = Vec::new();
    let items = match policy.get("conditions").map(|c| &c.kind) {
        Some(NodeKind::Seq(items)) => &items[..],
        _ => &[],
    };
    // `{"a": 1, "b": 2}` is two conditions.
    let count: usize = items
        .iter()
        .map(|item| match &item.kind {
            NodeKind::Map(entries) => entries.len(),
            _ => 1,
        })
        .sum();
    too_many(count, "The form's policy has ", "conditions", findings);
    let mut read = 0;
    for item in items {
        if read >= MAX_FORM_PARTS {
            break;
        }
        match &item.kind {
            NodeKind::Map(entries) => {
                for (k, v) in entries.iter().take(MAX_FORM_PARTS - read) {
                    read += 1;
                    if let (Some(k), Some(v)) = (k.scalar(), v.scalar()) {
                        conditions.push(Condition {
                            exact: true,
                            name: k.to_ascii_lowercase(),
                            value: v,
                        });
                    }
                }
            }
            NodeKind::Seq(parts) => {
                read += 1;
                let part = |i: usize| parts.get(i).and_then(Node::scalar).unwrap_or_default();
                let op = part(0).to_ascii_lowercase();
                if op == "content-length-range" {
                    let bound = |i| part(i).parse::<u64>().ok();
                    target.size_range = bound(1).zip(bound(2));
                } else if op == "eq" || op == "starts-with" {
                    conditions.push(Condition {
                        exact: op == "eq",
                        name: part(1).trim_start_matches('$').to_ascii_lowercase(),
                        value: part(2),
                    });
                }
            }
            NodeKind::Scalar { .. } => read += 1,
        }
    }
    for c in &conditions {
        if !target.signed_headers.contains(&c.name) {
            target.signed_headers.push(c.name.clone());
        }
    }
    if let Some(c) = conditions.iter().find(|c| c.exact && c.name == "bucket") {
        target.bucket = c.value.to_owned();
    }
    check_fields(&conditions, fields, findings);
    content_type(&conditions, fields, target, findings);
    if let Some((_, max)) = target.size_range
        && max < 1 << 20
    {
        let mut message = String::from("The policy accepts at most ");
        message.push_str(&max.to_string());
        message.push_str(" bytes (content-length-range)");
        findings.push(finding(
            Severity::Info,
            "presign-size-limit",
            message,
            "A larger spec is refused with EntityTooLarge.",
        ));
    }
}

/// S3's two rules: every field is named by a condition, and every condition holds.
fn check_fields(
    conditions: &[Condition],
    fields: &[(String, String)],
    findings: &mut Vec<Diagnostic>,
) {
    for (name, value) in fields {
        let lower = name.to_ascii_lowercase();
        if UNCHECKED.contains(&lower.as_str()) || lower.starts_with("x-ignore-") {
            continue;
        }
        let named: Vec<&Condition> = conditions.iter().filter(|c| c.name == lower).collect();
        if named.is_empty() {
            let mut message = String::from("The form's field ");
            message.push_str(name);
            message.push_str(
                " is not named in its policy: S3 refuses the form (\"Invalid according to \
                 Policy: Extra input fields\")",
            );
            findings.push(finding(
                Severity::Error,
                "presign-extra-field",
                message,
                "Presign with a condition for every field, e.g. Conditions=[{\"Content-Type\": \
                 \"application/json\"}] beside Fields={\"Content-Type\": \"application/json\"}.",
            ));
        }
        // S3 puts the file's name into `${filename}` before it checks.
        let unknown = value.contains("${filename}");
        for c in named {
            let holds = if c.exact {
                unknown || *value == c.value
            } else {
                value.starts_with(c.value)
            };
            if !holds {
                let mut message = String::from("The form's field ");
                message.push_str(name);
                message.push_str(if c.exact {
                    " differs from the value its policy requires, "
                } else {
                    " does not start as its policy requires, with "
                });
                message.push_str(c.value);
                findings.push(finding(
                    Severity::Error,
                    "presign-field-mismatch",
                    message,
                    "The form was edited: copy the whole output of generate_presigned_post again.",
                ));
            }
        }
    }
    for c in conditions {
        let present = fields.iter().any(|(k, _)| k.eq_ignore_ascii_case(&c.name));
        // The bucket is in the URL; the view adds Content-Type itself.
        let required = c.exact || !c.value.is_empty();
        if !present && required && c.name != "bucket" && c.name != "content-type" {
            let mut message = String::from("The policy requires a field ");
            message.push_str(&c.name);
            message.push_str(" that the form lacks");
            findings.push(finding(
                Severity::Error,
                "presign-missing-field",
                message,
                "The form was cut short or edited: copy the whole output of \
                 generate_presigned_post again.",
            ));
        }
    }
}

fn content_type(
    conditions: &[Condition],
    fields: &[(String, String)],
    target: &mut Target,
    findings: &mut Vec<Diagnostic>,
) {
    let named = |exact: bool| {
        conditions
            .iter()
            .find(|c| c.exact == exact && c.name == "content-type")
    };
    if let Some((_, value)) = fields
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        target.content_type = ContentType::Exact(value.clone());
    } else if let Some(c) = named(true) {
        target.content_type = ContentType::Exact(c.value.to_owned());
    } else if let Some(c) = named(false) {
        if APPLICATION_JSON.starts_with(c.value) {
            target.content_type = ContentType::Exact(APPLICATION_JSON.to_owned());
        } else {
            let mut message = String::from("The policy allows only a Content-Type starting with ");
            message.push_str(c.value);
            message.push_str("; a backfill spec is application/json");
            findings.push(finding(
                Severity::Error,
                "presign-content-type-refused",
                message,
                "Presign with Conditions=[{\"Content-Type\": \"application/json\"}] and \
                 Fields={\"Content-Type\": \"application/json\"}.",
            ));
        }
    }
}
