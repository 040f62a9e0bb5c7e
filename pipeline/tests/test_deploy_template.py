"""Facts about deploy/backfill-builder.yaml that must stay true whatever else changes in it
(cfn-lint checks that it is a valid template: scripts/pipeline-test.sh)."""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any

import pytest
from cfnlint.decode import cfn_yaml

from backfill_pipeline.presign import config

TEMPLATE_PATH = Path(__file__).resolve().parents[2] / "deploy" / "backfill-builder.yaml"
ORIGIN = "https://backfills.example.com"


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    loaded: dict[str, Any] = cfn_yaml.load(str(TEMPLATE_PATH))
    return loaded


def resources_of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == kind}


def resolve(value: Any, params: dict[str, str], conditions: dict[str, bool]) -> Any:
    """The value with `Fn::If` decided by `conditions` and `Fn::Sub` filled from `params`
    (enough for the values these tests read)."""
    if isinstance(value, dict) and len(value) == 1:
        (fn, arg), *_ = value.items()
        if fn == "Fn::If":
            name, then, otherwise = arg
            return resolve(then if conditions[name] else otherwise, params, conditions)
        if fn == "Fn::Sub":
            text: str = arg
            for key, replacement in params.items():
                text = text.replace("${" + key + "}", replacement)
            assert "${" not in text, f"unresolved: {text}"
            return text
        if fn == "Ref" and arg in params:
            return params[arg]
    if isinstance(value, dict):
        return {k: resolve(v, params, conditions) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, params, conditions) for v in value]
    return value


def test_the_upload_buckets_cors_rule_is_the_one_the_app_writes(template: dict[str, Any]) -> None:
    # What `cors_rule("https://backfills.example.com/")` in
    # crates/backfill-spec/src/presign/response.rs returns (the JSON `aws s3api put-bucket-cors`
    # takes; crates/backfill-spec/tests/presign.rs, the_cors_rule_is_the_json_the_aws_cli_takes).
    # CloudFormation spells two keys differently: ExposeHeaders is ExposedHeaders, and
    # MaxAgeSeconds is MaxAge.
    expected = {
        "CORSRules": [
            {
                "AllowedOrigins": ["https://backfills.example.com"],
                "AllowedMethods": ["PUT", "POST"],
                "AllowedHeaders": ["content-type"],
                "ExposeHeaders": ["ETag"],
                "MaxAgeSeconds": 3000,
            }
        ]
    }
    cfn_names = {"ExposedHeaders": "ExposeHeaders", "MaxAge": "MaxAgeSeconds"}
    bucket = template["Resources"]["UploadBucket"]["Properties"]
    for with_domain, params in [
        (True, {"DomainName": "backfills.example.com"}),
        (False, {"SiteDistribution.DomainName": "backfills.example.com"}),
    ]:
        cors = resolve(bucket["CorsConfiguration"], params, {"HasDomain": with_domain})
        rules = [{cfn_names.get(k, k): v for k, v in rule.items()} for rule in cors["CorsRules"]]
        assert {"CORSRules": rules} == expected


def test_the_presign_endpoint_answers_the_origin_the_bucket_allows(
    template: dict[str, Any],
) -> None:
    env = template["Resources"]["PresignFunction"]["Properties"]["Environment"]["Variables"]
    bucket = template["Resources"]["UploadBucket"]["Properties"]
    (rule,) = bucket["CorsConfiguration"]["CorsRules"]
    assert [env["BACKFILL_SITE_ORIGIN"]] == rule["AllowedOrigins"]
    for with_domain in (True, False):
        origin = resolve(
            env["BACKFILL_SITE_ORIGIN"],
            {"DomainName": "backfills.example.com", "SiteDistribution.DomainName": "d1.net"},
            {"HasDomain": with_domain},
        )
        assert config.site_origin(origin) == origin  # what the handler accepts at start


def test_the_presign_role_can_only_put_objects_under_the_prefix(
    template: dict[str, Any],
) -> None:
    role = template["Resources"]["PresignRole"]["Properties"]
    statements = [s for p in role["Policies"] for s in p["PolicyDocument"]["Statement"]]
    assert statements == [
        {
            "Effect": "Allow",
            "Action": "s3:PutObject",
            "Resource": {
                "Fn::Sub": "arn:${AWS::Partition}:s3:::${UploadBucketName}/${UploadPrefix}*"
            },
        }
    ]
    # Logs only: AWSLambdaBasicExecutionRole grants logs:CreateLogGroup, CreateLogStream and
    # PutLogEvents, nothing else.
    assert role["ManagedPolicyArns"] == [
        {
            "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/"
            "AWSLambdaBasicExecutionRole"
        }
    ]
    for kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy"):
        assert resources_of_type(template, kind) == {}, f"{kind} would add rights to roles"
    assert resources_of_type(template, "AWS::IAM::Role").keys() == {"PresignRole"}


def test_the_buckets_block_public_access(template: dict[str, Any]) -> None:
    buckets = resources_of_type(template, "AWS::S3::Bucket")
    assert buckets.keys() == {"SiteBucket", "UploadBucket"}
    for name, bucket in buckets.items():
        block = bucket["Properties"]["PublicAccessBlockConfiguration"]
        assert block == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }, name
        sse = bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        assert sse[0]["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256", name


def test_the_site_bucket_is_read_by_the_distribution_only(template: dict[str, Any]) -> None:
    policy = template["Resources"]["SiteBucketPolicy"]["Properties"]["PolicyDocument"]
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"
        assert statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}
        assert statement["Action"] in ("s3:GetObject", "s3:ListBucket")
        source = statement["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
        assert source.endswith(":distribution/${SiteDistribution}")


def test_hashed_files_are_immutable_and_the_rest_revalidated(template: dict[str, Any]) -> None:
    config_ = template["Resources"]["SiteDistribution"]["Properties"]["DistributionConfig"]
    assert config_["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] == {
        "Ref": "RevalidateHeadersPolicy"
    }
    immutable = [
        b["PathPattern"]
        for b in config_["CacheBehaviors"]
        if b["ResponseHeadersPolicyId"] == {"Ref": "ImmutableHeadersPolicy"}
    ]
    assert len(immutable) == len(config_["CacheBehaviors"])

    # CloudFront's * matches any characters, / included, and ? exactly one: fnmatchcase's.
    def immutable_path(path: str) -> bool:
        return any(fnmatch.fnmatchcase(path, pattern) for pattern in immutable)

    for root in ("/", "/backfills/"):
        for name in (
            "backfill-builder-8f4206d59b025642.js",
            "backfill-builder-8f4206d59b025642_bg.wasm",
            # Trunk writes the hash without its leading zeros.
            "backfill-builder-3ea86035b38b3d6_bg.wasm",
            "main-4fd6ac98e8debed9.css",
            "favicon-18d3dff32814cda3.svg",
        ):
            assert immutable_path(root + name), root + name
        for name in ("", "index.html", "catalog.yaml", "lint-worker.js"):
            assert not immutable_path(root + name), root + name


def test_both_headers_policies_send_the_security_headers(template: dict[str, Any]) -> None:
    policies = resources_of_type(template, "AWS::CloudFront::ResponseHeadersPolicy")
    cache_control = {}
    for name, policy in policies.items():
        body = policy["Properties"]["ResponseHeadersPolicyConfig"]
        assert body["SecurityHeadersConfig"] == {
            "ContentSecurityPolicy": {
                "ContentSecurityPolicy": {"Ref": "ContentSecurityPolicy"},
                "Override": True,
            },
            "ContentTypeOptions": {"Override": True},
            "FrameOptions": {"FrameOption": "DENY", "Override": True},
            "ReferrerPolicy": {"ReferrerPolicy": "no-referrer", "Override": True},
        }, name
        (header,) = body["CustomHeadersConfig"]["Items"]
        assert header["Header"] == "Cache-Control" and header["Override"] is True
        cache_control[name] = header["Value"]
    assert cache_control == {
        "ImmutableHeadersPolicy": "public, max-age=31536000, immutable",
        "RevalidateHeadersPolicy": "no-cache",
    }


def test_the_defaults_agree_with_the_handler_and_the_trigger(template: dict[str, Any]) -> None:
    params = template["Parameters"]
    key_pattern = params["KeyPattern"]["Default"]
    assert key_pattern == config.DEFAULT_KEY_PATTERN
    assert config.key_pattern(key_pattern) == key_pattern
    assert key_pattern.startswith(params["UploadPrefix"]["Default"])
    assert params["UploadPrefix"]["Default"] == "backfills/"  # the trigger's default prefix
    function = template["Resources"]["PresignFunction"]["Properties"]
    assert function["Handler"] == "backfill_pipeline.presign.handler.handler"
    minutes = params["PresignExpiresMinutes"]
    assert (minutes["MinValue"], minutes["MaxValue"]) == (
        config.MIN_EXPIRES_MINUTES,
        config.MAX_EXPIRES_MINUTES,
    )
    assert minutes["Default"] == config.DEFAULT_EXPIRES_MINUTES
    assert params["PresignMethod"]["AllowedValues"] == [m.value for m in config.Method]


def test_no_function_url_unless_asked(template: dict[str, Any]) -> None:
    assert template["Parameters"]["PresignFunctionUrl"]["Default"] == "off"
    for name in resources_of_type(template, "AWS::Lambda::Url"):
        assert template["Resources"][name]["Condition"] == "HasFunctionUrl"
    public = {
        name
        for name, p in resources_of_type(template, "AWS::Lambda::Permission").items()
        if p["Properties"]["Principal"] == "*"
    }
    assert public and all(
        template["Resources"][name]["Condition"] == "FunctionUrlIsPublic" for name in public
    )
