import * as fs from "fs";
import type { User } from "./types";

function check(user: User, other: User, a: number, b: number) {
  // ruleid: metavariables-self-comparison
  if (user.id === user.id) {
    return true;
  }
  // ruleid: metavariables-self-comparison
  const same = a === a;
  // ok: metavariables-self-comparison
  const equal = a === b;
  // ok: metavariables-self-comparison
  if (user.id === other.id) {
    return false;
  }
  // ok: metavariables-self-comparison
  const different = a !== a;
  return [same, equal, different];
}

function collect(items: unknown[], item: unknown) {
  // ruleid: metavariables-array-pushed-into-itself
  items.push(items);
  // ok: metavariables-array-pushed-into-itself
  items.push(item);
  // ok: metavariables-array-pushed-into-itself
  items.concat(items);
}

function rotate(logPath: string, archivePath: string) {
  // ruleid: metavariables-anonymous-rename
  fs.renameSync(logPath, archivePath);
  // ruleid: metavariables-anonymous-rename
  fs.renameSync(logPath, logPath);
  // ok: metavariables-anonymous-rename
  fs.copyFileSync(logPath, archivePath);
}

// ruleid: metavariables-identity-function
function passthrough(value: string) {
  return value;
}

// ok: metavariables-identity-function
function constant(value: string) {
  return DEFAULT;
}

// ok: metavariables-identity-function
function double(value: number) {
  return value * 2;
}

const DEFAULT = null;

export { check, collect, rotate, passthrough, constant, double };
