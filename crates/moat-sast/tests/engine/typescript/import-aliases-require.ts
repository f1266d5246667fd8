import type { Runner } from "./types";

const cp = require("child_process");
const { exec } = require("child_process");
const { exec: run } = require('child_process');
const { execFile } = require("child_process");
const shell = require("shelljs");

export function deploy(branch: string, runner: Runner): void {
  // ruleid: import-aliases-require-exec
  cp.exec("git checkout " + branch);
  // ruleid: import-aliases-require-exec
  exec(`git pull origin ${branch}`, (err: Error | null) => console.error(err));
  // ruleid: import-aliases-require-exec
  run("npm ci");
  // ok: import-aliases-require-exec
  cp.execFile("git", ["checkout", branch]);
  // ok: import-aliases-require-exec
  execFile("npm", ["ci"]);
  // ok: import-aliases-require-exec
  shell.exec("npm test");
  // ok: import-aliases-require-exec
  runner.exec("npm run build");
}
