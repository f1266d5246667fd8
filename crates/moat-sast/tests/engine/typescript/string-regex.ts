import * as crypto from "crypto";

async function callApi(url: string) {
  // ruleid: string-regex-plain-http
  await fetch("http://api.internal/users");
  // ruleid: string-regex-plain-http
  await fetch('http://api.internal/users', { method: "POST" });
  // ok: string-regex-plain-http
  await fetch("https://api.example.com/users");
  // ok: string-regex-plain-http
  await fetch(url);
  // ok: string-regex-plain-http
  await fetch("see http://docs.example.com");
}

function digest() {
  // ruleid: string-regex-weak-hash-name
  const first = crypto.createHash("md5");
  // ruleid: string-regex-weak-hash-name
  const second = crypto.createHash('sha1');
  // ok: string-regex-weak-hash-name
  const third = crypto.createHash("sha256");
  // ok: string-regex-weak-hash-name
  const fourth = crypto.createHash("md5-sha1");
  return [first, second, third, fourth];
}

export { callApi, digest };
