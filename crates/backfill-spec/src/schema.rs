//! The JSON Schema of spec v1, for editors (yaml-language-server's `# yaml-language-server:
//! $schema=…` comment) and generic validators. It checks shape only; the catalog-dependent
//! rules need `analyze`.

/// The schema text (draft-07, the draft yaml-language-server supports best).
pub fn json_schema() -> &'static str {
    include_str!("../schema/spec-v1.schema.json")
}

#[cfg(test)]
mod tests {
    #[test]
    fn schema_is_json() {
        let v: serde_json::Value = serde_json::from_str(super::json_schema()).expect("valid JSON");
        assert_eq!(v["title"], "Backfill spec v1");
    }
}
