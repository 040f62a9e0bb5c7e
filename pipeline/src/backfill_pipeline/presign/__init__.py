"""The reference presign endpoint: a Lambda that answers the Upload panel's `POST {name,
fingerprint, content_type}` with a presigned PUT URL (or POST form) for the deployment's key
pattern, and CORS for the site's origin only (docs/pipeline.md, "The presign endpoint")."""
