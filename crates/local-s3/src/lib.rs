//! A local S3 endpoint for trying the upload path and for testing it: the whole
//! S3 event → Lambda → Airflow path, seen on one machine.
//!
//! - **S3 that checks signatures.** [s3s] + [s3s-fs] on 127.0.0.1 verify SigV4 presigned
//!   URLs and their expiry the way S3 does: an expired URL gets 403 `AccessDenied` "Request
//!   has expired", a wrong signature (often a different Content-Type) 403
//!   `SignatureDoesNotMatch`, with S3's XML error body.
//! - **Presigned POST works too.** s3s verifies browser form uploads (a base64 policy
//!   signed with SigV4, boto3's `generate_presigned_post` shape): the signature, the
//!   policy's expiration, its conditions, and that every form field is named by one.
//! - **Where s3s 0.14 differs from S3, S3 wins** (`front.rs` and `store.rs` patch it): s3s
//!   holds a POST form's `x-amz-date` to its 15-minute clock-skew window (AWS only checks
//!   the policy's expiration), so the window is widened to SigV4's 7-day maximum; its
//!   `SignatureDoesNotMatch` has no message, so S3's is added; a broken policy condition is
//!   400 `InvalidPolicyDocument` there and 403 `AccessDenied` "Invalid according to Policy"
//!   here, as on S3; an unknown access key is `InvalidAccessKeyId`, not `NotSignedUp`.
//! - **The bucket's CORS rule.** s3s-fs answers no preflight; [`cors`] answers it as S3
//!   does for the rule the app tells users to set (PUT and POST from the site's origin,
//!   header `content-type`, `ETag` exposed), on error responses too, so the page can read
//!   S3's XML. Without it ([`Config::cors_origin`] `None`, `--no-cors`) the browser refuses
//!   the upload as it would against a bucket lacking the rule. Seen in headless Chromium:
//!   a PUT then fails at the preflight and nothing is sent, but a presigned POST (a form
//!   post, which needs no preflight) **is stored and fires the event**; only its answer is
//!   hidden from the page, which sees the same bare `TypeError`.
//! - **The notification.** Each object stored gives the S3 event record a Lambda gets and
//!   the call the trigger Lambda makes ([`lambda`]; Airflow 3, 2 or MWAA), printed as JSON lines and kept in
//!   [`Activity`]; `GET /_local-s3/stats`, `/_local-s3/objects` and `/_local-s3/presign`
//!   let a test in another process count requests, see the events and get fresh (or
//!   already expired) presigned URLs.
//! - **The presign endpoint.** `POST /_local-s3/presign` ([`Running::presign_endpoint`])
//!   answers the protocol of pipeline/'s reference Lambda ([`presign`]): `{"name",
//!   "fingerprint", "content_type"}` from the site's origin ([`Config::cors_origin`]) gets a
//!   presigned PUT URL signing `Content-Type: application/json`, or a POST form requiring
//!   it ([`Config::presign_method`]), for [`Config::key_pattern`], valid
//!   [`Config::presign_expires_minutes`]; the same 400/403/405/413 messages and CORS headers.
//!
//! The presigned URLs are made here ([`sigv4`]) with `hmac` + `sha2`, not an AWS SDK; the
//! signer reproduces AWS's documented example, and URLs and forms made by boto3 are
//! accepted too. Native only: this crate is never built for the browser.
//!
//! [s3s]: https://docs.rs/s3s
//! [s3s-fs]: https://docs.rs/s3s-fs

pub mod cors;
mod front;
pub mod lambda;
pub mod presign;
pub mod sigv4;
mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use s3s::config::{S3Config, StaticConfigProvider};
use s3s::service::S3ServiceBuilder;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::format_description;
use tokio::net::TcpListener;

pub use crate::presign::PresignMethod;
pub use crate::sigv4::Credentials;
pub use crate::store::Activity;

/// The fixed development key pair: not a secret, never valid on AWS.
pub const DEV_ACCESS_KEY: &str = "LOCALS3DEVACCESSKEY0";
pub const DEV_SECRET_KEY: &str = "local-s3-dev-secret-never-valid-on-aws";

/// How to run the server. [`Config::new`] gives the defaults of the `local-s3` command.
#[derive(Debug, Clone)]
pub struct Config {
    /// 0 picks a free port.
    pub port: u16,
    /// Where objects are stored (one directory per bucket); created if missing.
    pub data_dir: PathBuf,
    /// The dev site's origin: the one the bucket's CORS rule allows and the presign
    /// endpoint answers. `None` leaves CORS off (and the presign endpoint answers no site).
    pub cors_origin: Option<String>,
    pub bucket: String,
    pub credentials: Credentials,
    /// The DAG the Lambda would trigger.
    pub dag_id: String,
    /// The Airflow the printed trigger call is for (Airflow 3 by default).
    pub api: lambda::Api,
    /// Expiry of the presigned URLs printed and given by `GET /_local-s3/presign`.
    pub expires_secs: u64,
    /// The presign endpoint's key: `{name}` and `{fingerprint}` are filled in. It must hold
    /// `{fingerprint}` ([`presign::check_key_pattern`]).
    pub key_pattern: String,
    /// What the presign endpoint hands out: a PUT URL or a POST form.
    pub presign_method: PresignMethod,
    /// How long the presign endpoint's URLs are valid, 1 to 60 minutes.
    pub presign_expires_minutes: u64,
    /// Print a JSON line per request and per object to stdout.
    pub echo: bool,
}

impl Config {
    pub fn new(data_dir: PathBuf) -> Self {
        Config {
            port: 9000,
            data_dir,
            cors_origin: Some("http://127.0.0.1:8080".to_owned()),
            bucket: "backfills".to_owned(),
            credentials: Credentials {
                access_key: DEV_ACCESS_KEY.to_owned(),
                secret_key: DEV_SECRET_KEY.to_owned(),
                region: "us-east-1".to_owned(),
            },
            dag_id: "backfill_runner".to_owned(),
            api: lambda::Api::Airflow3,
            expires_secs: 3600,
            key_pattern: presign::DEFAULT_KEY_PATTERN.to_owned(),
            presign_method: PresignMethod::Put,
            presign_expires_minutes: presign::DEFAULT_EXPIRES_MINUTES,
            echo: true,
        }
    }

    /// What [`start`] refuses: a key pattern without `{fingerprint}` (or with another
    /// placeholder), an expiry outside 1–60 minutes. The message names the flag to change.
    pub fn check(&self) -> Result<(), String> {
        presign::check_key_pattern(&self.key_pattern)?;
        presign::check_expires_minutes(self.presign_expires_minutes)
    }
}

/// A running server. It stops when this is dropped.
#[derive(Debug)]
pub struct Running {
    pub addr: SocketAddr,
    /// `http://127.0.0.1:<port>`: what the presigned URLs point at.
    pub endpoint: String,
    pub activity: Arc<Activity>,
    pub config: Config,
    task: tokio::task::JoinHandle<()>,
}

impl Running {
    /// A presigned PUT URL and POST form for `key`, as `GET /_local-s3/presign` gives them.
    pub fn presigned(
        &self,
        key: &str,
        signed_at: OffsetDateTime,
        expires_secs: u64,
        content_type: Option<&str>,
    ) -> Value {
        presigned(
            &self.config.credentials,
            &self.endpoint,
            &self.config.bucket,
            key,
            signed_at,
            expires_secs,
            content_type,
        )
    }

    /// `http://127.0.0.1:<port>/_local-s3/presign`: where the site POSTs
    /// `{"name", "fingerprint", "content_type"}` for its upload target ([`presign`]).
    pub fn presign_endpoint(&self) -> String {
        format!("{}/_local-s3/presign", self.endpoint)
    }

    /// Runs until the task is stopped (Ctrl-C for the command).
    pub async fn wait(mut self) {
        let _ = (&mut self.task).await;
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Binds 127.0.0.1, creates the bucket and serves on the current tokio runtime. A wrong
/// setting ([`Config::check`]) is refused here, as `InvalidInput`.
pub async fn start(config: Config) -> std::io::Result<Running> {
    config
        .check()
        .map_err(|message| std::io::Error::new(std::io::ErrorKind::InvalidInput, message))?;
    std::fs::create_dir_all(config.data_dir.join(&config.bucket))?;
    let fs = s3s_fs::FileSystem::new(&config.data_dir)
        .map_err(|e| std::io::Error::other(format!("{e:?}")))?;
    let activity = Arc::new(Activity::new(
        config.echo,
        &config.credentials.region,
        &config.dag_id,
        config.api,
    ));
    let s3 = {
        let mut builder = S3ServiceBuilder::new(store::ObservedStore {
            fs,
            activity: activity.clone(),
        });
        builder.set_auth(store::DevAuth {
            access_key: config.credentials.access_key.clone(),
            secret_key: config.credentials.secret_key.clone().into(),
        });
        // s3s holds a POST form's x-amz-date to this window in both directions (AWS only
        // checks the policy's expiration), so a form would die 15 minutes after it was
        // made. Widen it to SigV4's longest expiry; presigned URLs keep their own expiry.
        let mut s3_config = S3Config::default();
        s3_config.presigned_url_max_skew_time_secs = sigv4::MAX_EXPIRES_SECS as u32;
        builder.set_config(Arc::new(StaticConfigProvider::new(Arc::new(s3_config))));
        builder.build()
    };
    let listener = TcpListener::bind(("127.0.0.1", config.port)).await?;
    let addr = listener.local_addr()?;
    let endpoint = format!("http://{addr}");
    let front = Arc::new(front::Front {
        s3,
        cors: config
            .cors_origin
            .as_deref()
            .map(cors::CorsRule::for_origin),
        activity: activity.clone(),
        credentials: config.credentials.clone(),
        endpoint: endpoint.clone(),
        bucket: config.bucket.clone(),
        expires_secs: config.expires_secs,
        presign: presign::Endpoint {
            site_origin: config
                .cors_origin
                .as_deref()
                .map(|origin| origin.trim_end_matches('/').to_owned()),
            key_pattern: config.key_pattern.clone(),
            method: config.presign_method,
            expires_secs: config.presign_expires_minutes * 60,
            credentials: config.credentials.clone(),
            endpoint: endpoint.clone(),
            bucket: config.bucket.clone(),
            activity: activity.clone(),
        },
    });
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let front = front.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| front.clone().handle(req));
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(io, service)
                    .await;
            });
        }
    });
    Ok(Running {
        addr,
        endpoint,
        activity,
        config,
        task,
    })
}

/// `backfills/demo/20261128T153533Z.json`: a fresh key for a demo upload.
pub fn demo_key(at: OffsetDateTime) -> String {
    let stamp = at
        .format(format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .expect("a UTC time formats");
    format!("backfills/demo/{stamp}.json")
}

/// `{"put_url", "post": {"url", "fields"}, "bucket", "key", "expires_in"}`.
pub fn presigned(
    credentials: &Credentials,
    endpoint: &str,
    bucket: &str,
    key: &str,
    signed_at: OffsetDateTime,
    expires_secs: u64,
    content_type: Option<&str>,
) -> Value {
    let put_url = sigv4::presign_url(
        credentials,
        "PUT",
        endpoint,
        &format!("/{bucket}/{key}"),
        signed_at,
        expires_secs,
        content_type,
    );
    let post = sigv4::presign_post(credentials, endpoint, bucket, key, signed_at, expires_secs);
    json!({
        "bucket": bucket,
        "key": key,
        "expires_in": expires_secs,
        "put_url": put_url,
        "post": post.to_json(),
    })
}
