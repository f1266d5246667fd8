const child_process = require("child_process");
const cp = require("child_process");
const { execSync } = require("child_process");
const { exec: run } = require("child_process");

function ping(req, res) {
  // ruleid: javascript.node.child-process-exec-injection
  child_process.exec("ping -c 1 " + req.query.host, (err, out) => res.send(out));
}

function archive(dir) {
  // ruleid: javascript.node.child-process-exec-injection
  return execSync(`tar czf backup.tgz ${dir}`);
}

function convert(file) {
  // ruleid: javascript.node.child-process-exec-injection
  run("convert " + file + " out.png");
}

function runCommand(cmd) {
  // ruleid: javascript.node.child-process-exec-injection
  return cp.execSync(cmd, { encoding: "utf8" });
}

function uptime() {
  // ok: javascript.node.child-process-exec-injection
  return cp.execSync("uptime", { encoding: "utf8" });
}

function pingSafely(host, cb) {
  // ok: javascript.node.child-process-exec-injection
  cp.execFile("ping", ["-c", "1", host], cb);
}

function matchAll(pattern, input) {
  // ok: javascript.node.child-process-exec-injection
  return pattern.exec(input);
}
