const fs = require("fs");
const os = require("os");
const path = require("path");
const { writeFileSync: save } = require("fs");

function saveReport(data) {
  // ruleid: javascript.node.insecure-temp-file
  fs.writeFileSync("/tmp/report.csv", data);
}

function saveUpload(id, data) {
  // ruleid: javascript.node.insecure-temp-file
  fs.writeFile("/tmp/upload-" + id, data, () => {});
}

function saveLog(name, line) {
  // ruleid: javascript.node.insecure-temp-file
  fs.appendFileSync(`/tmp/${name}.log`, line);
}

function savePid(pid) {
  // ruleid: javascript.node.insecure-temp-file
  save("/tmp/app.pid", String(pid));
}

function saveReportSafely(data) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "report-"));
  // ok: javascript.node.insecure-temp-file
  fs.writeFileSync(path.join(dir, "report.csv"), data);
}

function readTemp() {
  // ok: javascript.node.insecure-temp-file
  return fs.readFileSync("/tmp/input.txt", "utf8");
}

function saveLocal(data) {
  // ok: javascript.node.insecure-temp-file
  fs.writeFileSync("./tmp/report.csv", data);
}
