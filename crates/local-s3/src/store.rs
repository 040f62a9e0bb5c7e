//! s3s-fs with eyes: every object stored is also turned into the S3 event record and the
//! Airflow call it would fire, kept for the tests and printed as JSON lines.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use s3s::dto::{
    CreateBucketInput, CreateBucketOutput, DeleteObjectInput, DeleteObjectOutput,
    GetBucketLocationInput, GetBucketLocationOutput, GetObjectInput, GetObjectOutput,
    HeadBucketInput, HeadBucketOutput, HeadObjectInput, HeadObjectOutput, ListBucketsInput,
    ListBucketsOutput, ListObjectsInput, ListObjectsOutput, ListObjectsV2Input,
    ListObjectsV2Output, PostObjectInput, PostObjectOutput, PutObjectInput, PutObjectOutput,
    StreamingBlob,
};
use s3s::{S3, S3Request, S3Response, S3Result, s3_error};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::format_description;

use crate::lambda::{self, Created, Upload};
use crate::sigv4::uri_encode;

/// The largest object accepted (the body is held in memory to read its fingerprint).
const MAX_OBJECT_BYTES: usize = 64 << 20;

/// What the server has seen: requests by method, and each object created with the event
/// and the Airflow call it would fire. Shared by the store, the front and the tests.
#[derive(Debug)]
pub struct Activity {
    /// Print each log line to stdout.
    pub echo: bool,
    pub region: String,
    pub dag_id: String,
    /// Which Airflow the printed trigger call is for.
    pub api: lambda::Api,
    requests: Mutex<BTreeMap<String, u64>>,
    objects: Mutex<Vec<Value>>,
    sequence: AtomicU64,
}

impl Activity {
    pub fn new(echo: bool, region: &str, dag_id: &str, api: lambda::Api) -> Self {
        Activity {
            echo,
            region: region.to_owned(),
            dag_id: dag_id.to_owned(),
            api,
            requests: Mutex::default(),
            objects: Mutex::default(),
            sequence: AtomicU64::new(0),
        }
    }

    /// How many requests with this method reached the server (whatever their outcome).
    pub fn requests(&self, method: &str) -> u64 {
        self.requests
            .lock()
            .expect("not poisoned")
            .get(method)
            .copied()
            .unwrap_or(0)
    }

    /// One `{"s3_event": ..., "airflow_call": ...}` per object created, oldest first; when the
    /// trigger would start nothing, `{"s3_event": ..., "trigger_ignores": "why"}`.
    pub fn objects(&self) -> Vec<Value> {
        self.objects.lock().expect("not poisoned").clone()
    }

    /// `{"requests": {"PUT": 1, ...}, "objects_created": 1}`.
    pub fn stats(&self) -> Value {
        let requests = self.requests.lock().expect("not poisoned").clone();
        json!({ "requests": requests, "objects_created": self.objects.lock().expect("not poisoned").len() })
    }

    pub(crate) fn count_request(&self, method: &str) {
        *self
            .requests
            .lock()
            .expect("not poisoned")
            .entry(method.to_owned())
            .or_default() += 1;
    }

    /// One JSON line on stdout, fields in the order they are declared.
    pub(crate) fn log(&self, line: &impl serde::Serialize) {
        if self.echo {
            let line = serde_json::to_string(line).expect("plain data serialises");
            // A closed stdout (`| head`) must not take the server down.
            let _ = writeln!(std::io::stdout().lock(), "{line}");
        }
    }

    fn object_created(&self, upload: Upload, bucket: &str, key: &str, body: &[u8], etag: &str) {
        let sequence = self.sequence.fetch_add(1, Ordering::Relaxed) + 1;
        let event_time = OffsetDateTime::now_utc()
            .format(format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
            ))
            .expect("a UTC time formats");
        let created = Created {
            upload,
            region: &self.region,
            bucket,
            key,
            size: body.len() as u64,
            etag,
            event_time: &event_time,
            sequence,
        };
        let record = lambda::event_record(&created);
        let mut call = lambda::airflow_call(self.api, &self.dag_id, bucket, key, body);
        let mut objects = self.objects.lock().expect("not poisoned");
        if let Ok(call) = &mut call {
            let run_id = &call.body.dag_run_id;
            if objects
                .iter()
                .any(|o| o["airflow_call"]["body"]["dag_run_id"] == run_id.as_str())
            {
                call.note = Some(
                    "this dag_run_id was used before: Airflow answers 409 Conflict, which the trigger takes as already started",
                );
            }
        }
        #[derive(serde::Serialize)]
        struct Line<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            s3_event: Option<Event<'a>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            airflow_call: Option<&'a lambda::AirflowCall>,
            #[serde(skip_serializing_if = "Option::is_none")]
            trigger_ignores: Option<&'a str>,
        }
        #[derive(serde::Serialize)]
        struct Event<'a> {
            #[serde(rename = "Records")]
            records: [&'a lambda::EventRecord; 1],
        }
        let event = || Some(Event { records: [&record] });
        let (airflow_call, trigger_ignores) = match &call {
            Ok(call) => (Some(call), None),
            Err(why) => (None, Some(*why)),
        };
        self.log(&Line {
            s3_event: event(),
            airflow_call: None,
            trigger_ignores: None,
        });
        self.log(&Line {
            s3_event: None,
            airflow_call,
            trigger_ignores,
        });
        let both = Line {
            s3_event: event(),
            airflow_call,
            trigger_ignores,
        };
        objects.push(serde_json::to_value(&both).expect("plain data serialises"));
    }
}

/// The one development key pair, refusing others as S3 does (s3s's `SimpleAuth` answers
/// `NotSignedUp` instead).
pub(crate) struct DevAuth {
    pub access_key: String,
    pub secret_key: s3s::auth::SecretKey,
}

#[async_trait::async_trait]
impl s3s::auth::S3Auth for DevAuth {
    async fn get_secret_key(&self, access_key: &str) -> S3Result<s3s::auth::SecretKey> {
        if access_key == self.access_key {
            Ok(self.secret_key.clone())
        } else {
            Err(s3_error!(
                InvalidAccessKeyId,
                "The AWS Access Key Id you provided does not exist in our records."
            ))
        }
    }
}

/// The file-system store, plus the notification.
pub(crate) struct ObservedStore {
    pub fs: s3s_fs::FileSystem,
    pub activity: std::sync::Arc<Activity>,
}

/// Reads the whole body (to fingerprint it) and gives back an equivalent one to store.
async fn buffer(body: Option<StreamingBlob>) -> S3Result<(StreamingBlob, bytes::Bytes)> {
    let Some(body) = body else {
        return Err(s3_error!(IncompleteBody));
    };
    let mut body = s3s::Body::from(body);
    let bytes = body
        .store_all_limited(MAX_OBJECT_BYTES)
        .await
        .map_err(|e| s3_error!(EntityTooLarge, "{e}"))?;
    Ok((StreamingBlob::from(s3s::Body::from(bytes.clone())), bytes))
}

fn etag_of(etag: Option<&s3s::dto::ETag>) -> String {
    etag.map(|e| e.value().to_owned()).unwrap_or_default()
}

#[async_trait::async_trait]
impl S3 for ObservedStore {
    async fn put_object(
        &self,
        mut req: S3Request<PutObjectInput>,
    ) -> S3Result<S3Response<PutObjectOutput>> {
        let (body, bytes) = buffer(req.input.body.take()).await?;
        req.input.body = Some(body);
        let (bucket, key) = (req.input.bucket.clone(), req.input.key.clone());
        let resp = self.fs.put_object(req).await?;
        let etag = etag_of(resp.output.e_tag.as_ref());
        self.activity
            .object_created(Upload::Put, &bucket, &key, &bytes, &etag);
        Ok(resp)
    }

    async fn post_object(
        &self,
        mut req: S3Request<PostObjectInput>,
    ) -> S3Result<S3Response<PostObjectOutput>> {
        let (body, bytes) = buffer(req.input.body.take()).await?;
        req.input.body = Some(body);
        let (bucket, key) = (req.input.bucket.clone(), req.input.key.clone());
        let host = req.headers.get(http::header::HOST).cloned();
        let mut resp = self.fs.post_object(req).await?;
        let etag = etag_of(resp.output.e_tag.as_ref());
        // S3 answers a form upload with its ETag and Location; s3s's 204 carries neither.
        if let Ok(value) = http::HeaderValue::from_str(&format!("\"{etag}\"")) {
            resp.headers.insert(http::header::ETAG, value);
        }
        if let Some(host) = host.as_ref().and_then(|h| h.to_str().ok()) {
            let location = format!("http://{host}/{bucket}/{}", uri_encode(&key, false));
            if let Ok(value) = http::HeaderValue::from_str(&location) {
                resp.headers.insert(http::header::LOCATION, value);
            }
        }
        self.activity
            .object_created(Upload::Post, &bucket, &key, &bytes, &etag);
        Ok(resp)
    }

    // The rest is s3s-fs as it is, so `aws s3` and the tests can look at what was stored.

    async fn get_object(
        &self,
        req: S3Request<GetObjectInput>,
    ) -> S3Result<S3Response<GetObjectOutput>> {
        self.fs.get_object(req).await
    }

    async fn head_object(
        &self,
        req: S3Request<HeadObjectInput>,
    ) -> S3Result<S3Response<HeadObjectOutput>> {
        self.fs.head_object(req).await
    }

    async fn delete_object(
        &self,
        req: S3Request<DeleteObjectInput>,
    ) -> S3Result<S3Response<DeleteObjectOutput>> {
        self.fs.delete_object(req).await
    }

    async fn list_objects(
        &self,
        req: S3Request<ListObjectsInput>,
    ) -> S3Result<S3Response<ListObjectsOutput>> {
        self.fs.list_objects(req).await
    }

    async fn list_objects_v2(
        &self,
        req: S3Request<ListObjectsV2Input>,
    ) -> S3Result<S3Response<ListObjectsV2Output>> {
        self.fs.list_objects_v2(req).await
    }

    async fn list_buckets(
        &self,
        req: S3Request<ListBucketsInput>,
    ) -> S3Result<S3Response<ListBucketsOutput>> {
        self.fs.list_buckets(req).await
    }

    async fn head_bucket(
        &self,
        req: S3Request<HeadBucketInput>,
    ) -> S3Result<S3Response<HeadBucketOutput>> {
        self.fs.head_bucket(req).await
    }

    async fn create_bucket(
        &self,
        req: S3Request<CreateBucketInput>,
    ) -> S3Result<S3Response<CreateBucketOutput>> {
        self.fs.create_bucket(req).await
    }

    async fn get_bucket_location(
        &self,
        req: S3Request<GetBucketLocationInput>,
    ) -> S3Result<S3Response<GetBucketLocationOutput>> {
        self.fs.get_bucket_location(req).await
    }
}
