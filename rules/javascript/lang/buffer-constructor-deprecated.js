function encode(text) {
  // ruleid: javascript.lang.buffer-constructor-deprecated
  return new Buffer(text, "utf8").toString("base64");
}

function allocate(req) {
  // ruleid: javascript.lang.buffer-constructor-deprecated
  const buf = Buffer(Number(req.query.size));
  return buf;
}

function encodeSafely(text) {
  // ok: javascript.lang.buffer-constructor-deprecated
  return Buffer.from(text, "utf8").toString("base64");
}

function allocateSafely(size) {
  // ok: javascript.lang.buffer-constructor-deprecated
  return Buffer.alloc(size);
}

function check(value) {
  // ok: javascript.lang.buffer-constructor-deprecated
  return Buffer.isBuffer(value);
}
