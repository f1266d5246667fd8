const serialize = require("node-serialize");
const other = require("./serializer");

function restore(req, res) {
  // ruleid: javascript.node.node-serialize-unserialize
  const profile = serialize.unserialize(Buffer.from(req.cookies.profile, "base64").toString());
  res.json(profile);
}

function restoreInline(text) {
  // ruleid: javascript.node.node-serialize-unserialize
  return require("node-serialize").unserialize(text);
}

function save(obj) {
  // ok: javascript.node.node-serialize-unserialize
  return serialize.serialize(obj);
}

function restoreJson(text) {
  // ok: javascript.node.node-serialize-unserialize
  return JSON.parse(text);
}

function restoreOther(text) {
  // ok: javascript.node.node-serialize-unserialize
  return other.unserialize(text);
}
