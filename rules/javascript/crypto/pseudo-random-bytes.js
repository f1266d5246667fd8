const crypto = require("crypto");

function makeIv() {
  // ruleid: javascript.crypto.pseudo-random-bytes
  return crypto.pseudoRandomBytes(16);
}

function makeSalt(cb) {
  // ruleid: javascript.crypto.pseudo-random-bytes
  crypto.pseudoRandomBytes(32, cb);
}

function makeIvSecure() {
  // ok: javascript.crypto.pseudo-random-bytes
  return crypto.randomBytes(16);
}

function fillBuffer(buf) {
  // ok: javascript.crypto.pseudo-random-bytes
  return crypto.randomFillSync(buf);
}
