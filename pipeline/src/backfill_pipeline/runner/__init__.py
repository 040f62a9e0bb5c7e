"""The work of the DAG `backfill_runner` (pipeline/dags/backfill_runner.py), as plain functions
over boto3 clients: the DAG file only wires them into tasks."""
