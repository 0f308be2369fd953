#!/usr/bin/env python3
"""Lists and reads with boto3 what envmon wrote to an S3-compatible server: every key of
EXPECTED (JSON: {key: sha256}) must be listed under PREFIX (paging with a small MaxKeys) and
read back with that SHA-256; curated Parquet objects must also open with pyarrow."""
import argparse
import hashlib
import io
import json
import sys
import urllib.parse

import boto3
import pyarrow.parquet as pq
from botocore.config import Config


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--bucket", required=True)
    ap.add_argument("--prefix", required=True)
    ap.add_argument("--expected", required=True)
    args = ap.parse_args()
    want = json.load(open(args.expected))
    s3 = boto3.client("s3", endpoint_url=args.endpoint, region_name="us-east-1",
                      config=Config(s3={"addressing_style": "path"},
                                    retries={"max_attempts": 2},
                                    # S3Proxy does not implement the flexible checksums newer
                                    # boto3 asks for by default (x-amz-checksum-mode).
                                    request_checksum_calculation="when_required",
                                    response_checksum_validation="when_required"))
    # Paged by hand, MaxKeys=7: boto3 asks for EncodingType=url and S3Proxy then returns the
    # continuation token URL-encoded, which it does not accept back encoded.
    listed = {}
    kwargs = {"Bucket": args.bucket, "Prefix": args.prefix, "MaxKeys": 7}
    while True:
        page = s3.list_objects_v2(**kwargs)
        for o in page.get("Contents", []):
            if not o["Key"].endswith("/"):
                listed[o["Key"][len(args.prefix):]] = o["Size"]
        if not page.get("IsTruncated"):
            break
        kwargs["ContinuationToken"] = urllib.parse.unquote(page["NextContinuationToken"])
    missing = sorted(set(want) - set(listed))
    if missing:
        print("FAIL: not listed by boto3: " + ", ".join(missing[:5]))
        sys.exit(1)
    parquet = 0
    for key, sha in want.items():
        body = s3.get_object(Bucket=args.bucket, Key=args.prefix + key)["Body"].read()
        if hashlib.sha256(body).hexdigest() != sha or len(body) != listed[key]:
            print(f"FAIL: {key}: content differs from what envmon wrote")
            sys.exit(1)
        if key.endswith(".parquet"):
            pq.read_table(io.BytesIO(body))
            parquet += 1
    print(f"ok: boto3 listed {len(listed)} objects and read {len(want)} identical "
          f"({parquet} Parquet files open in pyarrow)")


if __name__ == "__main__":
    main()
