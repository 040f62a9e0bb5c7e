//! `local-s3`: a local S3 endpoint that checks SigV4 presigned uploads, and logs the S3
//! event and the Airflow call each object would fire. See the library's docs.

use std::path::PathBuf;
use std::process::ExitCode;

use local_s3::{Config, PresignMethod, cors::CorsRule};
use time::OffsetDateTime;

const USAGE: &str = "\
usage: local-s3 [options]

Runs an S3-compatible server on 127.0.0.1 that verifies SigV4 presigned URLs and their
expiry, prints a fresh presigned PUT URL and presigned POST form, and logs (one JSON line
each) every request, the S3 event record of each object stored, and the call the trigger
Lambda (pipeline/) makes for it.

options:
  --port N              port to listen on (default 9000; 0 picks a free one)
  --data DIR            where objects are stored (default: a new temporary directory)
  --origin URL          the dev site's origin: the bucket's CORS rule allows it and the
                        presign endpoint answers it (default http://127.0.0.1:8080)
  --no-cors             no CORS rule: the browser refuses the upload, as against a bucket
                        without one (and the presign endpoint answers no site)
  --bucket NAME         the bucket to create (default backfills)
  --dag-id ID           the DAG the Lambda triggers (default backfill_runner)
  --airflow API         the trigger's API: airflow3 (default: /auth/token, then
                        /api/v2), airflow2 (/api/v1, basic auth) or mwaa (InvokeRestApi)
  --expires SECONDS     expiry of the printed URLs (default 3600)
  --content-type TYPE   also sign Content-Type in the PUT URL (the upload must send it)
  --key-pattern P       the presign endpoint's key, {name} and {fingerprint} filled in
                        (default backfills/{name}/{fingerprint}.json; {fingerprint} required)
  --presign-method M    what the presign endpoint hands out: put (default: a presigned PUT
                        URL) or post (a presigned POST form)
  --presign-expires-minutes N
                        how long its URLs are valid, 1 to 60 (default 5)
  -h, --help            this text

While it runs: GET /_local-s3/stats (requests by method, objects created),
/_local-s3/objects (each event and Airflow call), /_local-s3/presign?key=&expires=&content_type=&signed_at=
(a fresh presigned PUT URL and POST form), and POST /_local-s3/presign, the presign
endpoint of pipeline/ (docs/pipeline.md): {\"name\", \"fingerprint\", \"content_type\"} from the
site's origin -> {\"url\"} or {\"url\", \"fields\"}.";

struct Args {
    config: Config,
    content_type: Option<String>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut config = Config::new(PathBuf::new());
    let mut data_dir = None;
    let mut content_type = None;
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" => {
                config.port = value()?
                    .parse()
                    .map_err(|_| "--port: a number from 0 to 65535")?
            }
            "--data" => data_dir = Some(PathBuf::from(value()?)),
            "--origin" => config.cors_origin = Some(value()?),
            "--no-cors" => config.cors_origin = None,
            "--bucket" => config.bucket = value()?,
            "--dag-id" => config.dag_id = value()?,
            "--airflow" => {
                config.api = local_s3::lambda::Api::parse(&value()?)
                    .ok_or("--airflow: airflow3, airflow2 or mwaa")?
            }
            "--expires" => {
                config.expires_secs = value()?.parse().map_err(|_| "--expires: seconds")?;
                if !(1..=local_s3::sigv4::MAX_EXPIRES_SECS).contains(&config.expires_secs) {
                    return Err("--expires: from 1 to 604800 seconds (SigV4's limit)".into());
                }
            }
            "--content-type" => content_type = Some(value()?),
            "--key-pattern" => config.key_pattern = value()?,
            "--presign-method" => {
                config.presign_method = PresignMethod::parse(&value()?)
                    .ok_or("--presign-method: put (a presigned PUT URL) or post (a POST form)")?
            }
            "--presign-expires-minutes" => {
                config.presign_expires_minutes = value()?
                    .parse()
                    .map_err(|_| "--presign-expires-minutes: a whole number from 1 to 60")?
            }
            other => return Err(format!("unknown argument {other:?} (try --help)")),
        }
    }
    config.check()?;
    config.data_dir = data_dir
        .unwrap_or_else(|| std::env::temp_dir().join(format!("local-s3-{}", std::process::id())));
    Ok(Some(Args {
        config,
        content_type,
    }))
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("local-s3: {message}");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run(args))
}

async fn run(args: Args) -> ExitCode {
    let server = match local_s3::start(args.config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("local-s3: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let config = &server.config;
    let now = OffsetDateTime::now_utc();
    let key = local_s3::demo_key(now);
    let put_url = local_s3::sigv4::presign_url(
        &config.credentials,
        "PUT",
        &server.endpoint,
        &format!("/{}/{key}", config.bucket),
        now,
        config.expires_secs,
        args.content_type.as_deref(),
    );
    let post = local_s3::sigv4::presign_post(
        &config.credentials,
        &server.endpoint,
        &config.bucket,
        &key,
        now,
        config.expires_secs,
    );
    let presign_line = presign_line(&server);
    let cors = match &config.cors_origin {
        Some(origin) => format!(
            "bucket CORS rule {}",
            CorsRule::for_origin(origin).to_json()
        ),
        None => "no CORS rule (--no-cors): a browser upload fails with a bare TypeError".to_owned(),
    };
    println!(
        "local-s3: S3 on {endpoint}, bucket {bucket}, data in {data}\n\
         local-s3: access key {ak}, secret key {sk}, region {region}\n\
         local-s3: {cors}\n\
         local-s3: {presign_line}\n\
         local-s3: each object stored prints its S3 event and the {api} call that starts {dag_id}\n\
         \n\
         Presigned PUT URL for s3://{bucket}/{key} (expires in {expires} s{signed_type}):\n\
         {put}\n\
         \n\
         Presigned POST (boto3's generate_presigned_post, as JSON):\n\
         {post}\n",
        endpoint = server.endpoint,
        bucket = config.bucket,
        data = config.data_dir.display(),
        ak = config.credentials.access_key,
        sk = config.credentials.secret_key,
        region = config.credentials.region,
        dag_id = config.dag_id,
        api = config.api.name(),
        expires = config.expires_secs,
        signed_type = args
            .content_type
            .map(|t| format!(", Content-Type {t} signed"))
            .unwrap_or_default(),
        put = put_url,
        post = serde_json::to_string(&post).expect("strings serialise"),
    );
    tokio::select! {
        () = server.wait() => ExitCode::FAILURE,
        _ = tokio::signal::ctrl_c() => ExitCode::SUCCESS,
    }
}

/// Where the presign endpoint is and what it answers.
fn presign_line(server: &local_s3::Running) -> String {
    let config = &server.config;
    let what = match config.presign_method {
        PresignMethod::Put => "a presigned PUT URL",
        PresignMethod::Post => "a presigned POST form",
    };
    let site = match &config.cors_origin {
        Some(origin) => format!("from {origin}"),
        None => "from no site (--no-cors)".to_owned(),
    };
    format!(
        "presign endpoint POST {url} {site}: {what} for {pattern}, valid {minutes} min",
        url = server.presign_endpoint(),
        pattern = config.key_pattern,
        minutes = config.presign_expires_minutes,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Args>, String> {
        parse_args(args.iter().map(|a| (*a).to_owned()))
    }

    #[test]
    fn arguments_set_the_config() {
        let args = parse(&[
            "--port",
            "0",
            "--no-cors",
            "--expires",
            "60",
            "--content-type",
            "application/json",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(args.config.port, 0);
        assert_eq!(args.config.cors_origin, None);
        assert_eq!(args.config.expires_secs, 60);
        assert_eq!(args.content_type.as_deref(), Some("application/json"));
        let presign = parse(&[
            "--key-pattern",
            "up/{fingerprint}.json",
            "--presign-method",
            "post",
            "--presign-expires-minutes",
            "60",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(presign.config.key_pattern, "up/{fingerprint}.json");
        assert_eq!(presign.config.presign_method, PresignMethod::Post);
        assert_eq!(presign.config.presign_expires_minutes, 60);
        let defaults = parse(&[]).unwrap().unwrap();
        assert_eq!(defaults.config.port, 9000);
        assert_eq!(
            defaults.config.cors_origin.as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            defaults.config.key_pattern,
            local_s3::presign::DEFAULT_KEY_PATTERN
        );
        assert_eq!(defaults.config.presign_method, PresignMethod::Put);
        assert_eq!(defaults.config.presign_expires_minutes, 5);
        assert!(parse(&["--help"]).unwrap().is_none());
        for bad in [
            &["--port"][..],
            &["--port", "x"],
            &["--expires", "0"],
            &["--expires", "604801"],
            &["--nope"],
            &["--key-pattern", "backfills/{name}.json"],
            &["--key-pattern", "b/{fingerprint}/{date}"],
            &["--presign-method", "get"],
            &["--presign-expires-minutes", "0"],
            &["--presign-expires-minutes", "61"],
            &["--presign-expires-minutes", "five"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
