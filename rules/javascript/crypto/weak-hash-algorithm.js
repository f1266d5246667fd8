const crypto = require("crypto");
const nodeCrypto = require("node:crypto");
const { createHash } = require("crypto");

function fingerprint(data) {
  // ruleid: javascript.crypto.weak-hash-algorithm
  return crypto.createHash("md5").update(data).digest("hex");
}

function legacySignature(data) {
  // ruleid: javascript.crypto.weak-hash-algorithm
  return createHash('sha1').update(data).digest("base64");
}

function upperCase(data) {
  // ruleid: javascript.crypto.weak-hash-algorithm
  return crypto.createHash("MD5").update(data).digest();
}

function strong(data) {
  // ok: javascript.crypto.weak-hash-algorithm
  return crypto.createHash("sha256").update(data).digest("hex");
}

function sha512(data) {
  // ok: javascript.crypto.weak-hash-algorithm
  return createHash("sha512").update(data).digest("hex");
}

function notNodeCrypto(hasher, data) {
  // ok: javascript.crypto.weak-hash-algorithm
  return hasher.createDigest("md5", data);
}

function configured(alg, data) {
  // ok: javascript.crypto.weak-hash-algorithm
  return crypto.createHash(alg).update(data).digest("hex");
}
