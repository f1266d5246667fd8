import * as crypto from "crypto";
import * as fs from "fs";
import * as serialize from "node-serialize";
import type { Options, Shell } from "./types";

function load(data: string, options: Options) {
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

function purge(child: Shell, target: string) {
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
  // ok: formatting-quote-style
  const third = crypto.createHash('sha256');
  return [first, second, third];
}

export { load, purge, digest };
