import json
import os
import socket
import uuid

import pytest


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: takes several seconds (subprocesses, a real server); still in the suite"
    )


def _free_port():
    """A port nobody listens on now (another test run on this machine may use any fixed one;
    moto's threaded server would wait forever for a port it cannot bind)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


S3_PORT = int(os.environ.get("TEST_S3_PORT", "0")) or _free_port()
S3_BUCKET = "quartier-test"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{S3_BUCKET}/*",
        }
    ],
}


@pytest.fixture(scope="session")
def s3_server():
    """An S3-compatible server for the storage tests: moto's, started by the test run.
    Returns the environment that points MEDIA_STORAGE=s3 at it."""
    server_module = pytest.importorskip("moto.server", reason="moto[server] is not installed")
    import boto3

    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=S3_PORT, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{S3_PORT}"
    env = {
        "MEDIA_STORAGE": "s3",
        "S3_BUCKET": S3_BUCKET,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
    }
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=S3_BUCKET)
    # Photos are public: everyone may read them (as the README's bucket policy says).
    client.put_bucket_policy(Bucket=S3_BUCKET, Policy=json.dumps(PUBLIC_READ))
    yield env
    server.stop()


@pytest.fixture
def s3_media(s3_server, settings, monkeypatch):
    """MEDIA_STORAGE=s3 for this test (settings built from the environment as in production);
    yields a function listing the bucket's keys."""
    import boto3

    from quartier.settings import media_storage

    for name, value in s3_server.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("S3_PREFIX", f"test-{uuid.uuid4().hex[:8]}")
    settings.STORAGES = {**settings.STORAGES, "default": media_storage("s3")}
    client = boto3.client(
        "s3",
        endpoint_url=s3_server["S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    prefix = os.environ["S3_PREFIX"]

    def keys():
        listing = client.list_objects_v2(Bucket=S3_BUCKET, Prefix=prefix + "/")
        return sorted(item["Key"][len(prefix) + 1 :] for item in listing.get("Contents", []))

    return keys
