"""The trigger Lambda: S3 event in, one DAG run of `backfill_runner` per uploaded object.

`handler.handler` is the Lambda's entry point; it needs only the standard library and boto3.
"""
