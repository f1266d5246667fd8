import cp from "child_process";
import * as childProcess from "child_process";
import { exec } from "child_process";
import { exec as run, execFile } from 'child_process';
import shell from "shelljs";

export function deploy(branch, runner) {
  // ruleid: import-aliases-esm-exec
  cp.exec("git checkout " + branch);
  // ruleid: import-aliases-esm-exec
  childProcess.exec("git fetch --all");
  // ruleid: import-aliases-esm-exec
  exec(`git pull origin ${branch}`);
  // ruleid: import-aliases-esm-exec
  run("npm ci");
  // ok: import-aliases-esm-exec
  childProcess.execFile("git", ["checkout", branch]);
  // ok: import-aliases-esm-exec
  execFile("npm", ["ci"]);
  // ok: import-aliases-esm-exec
  shell.exec("npm test");
  // ok: import-aliases-esm-exec
  runner.exec("npm run build");
}
