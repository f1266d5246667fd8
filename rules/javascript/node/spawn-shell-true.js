const { spawn, spawnSync } = require("child_process");
const child_process = require("child_process");

function convert(input) {
  // ruleid: javascript.node.spawn-shell-true
  return spawn("convert", [input, "out.png"], { shell: true });
}

function grep(term, file) {
  // ruleid: javascript.node.spawn-shell-true
  return child_process.spawnSync(`grep ${term} ${file}`, { shell: true, encoding: "utf8" });
}

function convertSafely(input) {
  // ok: javascript.node.spawn-shell-true
  return spawn("convert", [input, "out.png"]);
}

function buildAll() {
  // ok: javascript.node.spawn-shell-true
  return spawnSync("npm run build && npm test", { shell: true });
}

function listFiles(dir) {
  // ok: javascript.node.spawn-shell-true
  return spawn("ls", ["-la", dir], { shell: false });
}
