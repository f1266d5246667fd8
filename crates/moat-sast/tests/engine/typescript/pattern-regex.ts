import { S3Client } from "@aws-sdk/client-s3";

// ruleid: pattern-regex-aws-access-key
const AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";

// ruleid: pattern-regex-aws-access-key
// the old key AKIAJ5Q3ZQXW7EXAMPLE was revoked in March

// ok: pattern-regex-aws-access-key
const AWS_REGION = "eu-west-1";

// ok: pattern-regex-aws-access-key
const SHORT_ID = "AKIA1234";

// ok: pattern-regex-aws-access-key
const LOWERCASE = "akiaiosfodnn7example";

function client() {
  return new S3Client({
    credentials: {
      // ruleid: pattern-regex-aws-access-key
      accessKeyId: `AKIAZ7VRSQ5TEXAMPLE1`,
      // ok: pattern-regex-aws-access-key
      secretAccessKey: loadSecret(),
    },
  });
}

function loadSecret() {
  // ruleid: pattern-regex-security-marker
  // FIXME(security): read this from the vault instead
  return "placeholder";
}

function checkToken(token: string) {
  // ruleid: pattern-regex-security-marker
  return token === "abc"; /* fixme(Security) constant-time compare */
}

// ok: pattern-regex-security-marker
// FIXME: rename this helper

export { AWS_ACCESS_KEY_ID, AWS_REGION, SHORT_ID, LOWERCASE, client, checkToken };
