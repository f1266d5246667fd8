import boto3

# ruleid: pattern-regex-aws-access-key
AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"

# ruleid: pattern-regex-aws-access-key
# the old key AKIAJ5Q3ZQXW7EXAMPLE was revoked in March

# ok: pattern-regex-aws-access-key
AWS_REGION = "eu-west-1"

# ok: pattern-regex-aws-access-key
SHORT_ID = "AKIA1234"

# ok: pattern-regex-aws-access-key
LOWERCASE = "akiaiosfodnn7example"


def client():
    return boto3.client(
        "s3",
        # ruleid: pattern-regex-aws-access-key
        aws_access_key_id="AKIAZ7VRSQ5TEXAMPLE1",
        # ok: pattern-regex-aws-access-key
        aws_secret_access_key=load_secret(),
    )


def load_secret():
    # ruleid: pattern-regex-security-marker
    # FIXME(security): read this from the vault instead
    return "placeholder"


def check_token(token):
    # ruleid: pattern-regex-security-marker
    return token == "abc"  # fixme(Security) constant-time compare

# ok: pattern-regex-security-marker
# FIXME: rename this helper
