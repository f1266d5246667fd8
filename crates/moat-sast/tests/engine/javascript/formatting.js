const crypto = require("crypto");
const fs = require("fs");
const serialize = require("node-serialize");

function load(data, options) {
  // ruleid: formatting-unsafe-deserialize
  const first = serialize.unserialize(data,options)
  // ruleid: formatting-unsafe-deserialize
  const second = serialize.unserialize(
    data, // the raw payload
    /* decoder options */ options,
  );
  // ruleid: formatting-unsafe-deserialize
  const third = serialize . unserialize( data , options );
  // ok: formatting-unsafe-deserialize
  const fourth = serialize.serialize(data, options);
  return [first, second, third, fourth];
}

function purge(child, target) {
  // ruleid: formatting-shell-rm
  child.execSync(("rm -rf " + target));
  // ruleid: formatting-shell-rm
  child.execSync(("rm -rf ") + (target))
  // ok: formatting-shell-rm
  child.execSync("rm -f " + target);
  // ruleid: formatting-rm-recursive
  fs.rmSync((target));
  // ok: formatting-rm-recursive
  fs.rmSync(target, { recursive: true });
}

function digest() {
  // ruleid: formatting-quote-style
  const first = crypto.createHash('md5')
  // ruleid: formatting-quote-style
  const second = crypto.createHash("md5");
  // ruleid: formatting-quote-style
  const commented = crypto /* node:crypto */ .createHash(
    "md5", // legacy checksum
  );
  // ok: formatting-quote-style
  const third = crypto.createHash('sha256');
  return [first, second, commented, third];
}

module.exports = { load, purge, digest };
