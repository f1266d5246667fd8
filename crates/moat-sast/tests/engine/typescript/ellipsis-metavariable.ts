import * as path from "path";
import * as logger from "./logger";

function parents(base: string, user: string) {
  // ruleid: ellipsis-metavariable-parent-segment
  const up = path.join(base, user, "..");
  // ruleid: ellipsis-metavariable-parent-segment
  const one = path.join(base, "..");
  // ruleid: ellipsis-metavariable-parent-segment
  const bare = path.join("..");
  // ok: ellipsis-metavariable-parent-segment
  const middle = path.join(base, "..", user);
  // ok: ellipsis-metavariable-parent-segment
  const resolved = path.resolve(base, "..");
  return [up, one, bare, middle, resolved];
}

function save(file: string, size: number) {
  // ruleid: ellipsis-metavariable-duplicate-log
  logger.info("saved %s (%d bytes)", file, size);
  console.log("saved %s (%d bytes)", file, size);
}

function saveQuietly(file: string, size: number) {
  // ok: ellipsis-metavariable-duplicate-log
  logger.info("saved %s (%d bytes)", file, size);
  console.log("saved", file);
}

function announce() {
  // ruleid: ellipsis-metavariable-duplicate-log
  logger.info();
  console.log();
}

export { parents, save, saveQuietly, announce };
