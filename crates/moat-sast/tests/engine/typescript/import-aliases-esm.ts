import cp from "child_process";
import * as childProcess from "child_process";
import { exec } from "child_process";
import { exec as run, execFile, type ExecOptions } from 'child_process';
import shell from "shelljs";
import type { Runner } from "./types";

const options: ExecOptions = { timeout: 10_000 };

export function deploy(branch: string, runner: Runner): void {
  // ruleid: import-aliases-esm-exec
  cp.exec("git checkout " + branch);
  // ruleid: import-aliases-esm-exec
  childProcess.exec("git fetch --all", options);
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
