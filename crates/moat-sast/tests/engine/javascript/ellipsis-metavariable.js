const path = require("path");
const logger = require("./logger");

function parents(base, user) {
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

function save(file, size) {
  // ruleid: ellipsis-metavariable-duplicate-log
  logger.info("saved %s (%d bytes)", file, size);
  console.log("saved %s (%d bytes)", file, size);
}

function saveQuietly(file, size) {
  // ok: ellipsis-metavariable-duplicate-log
  logger.info("saved %s (%d bytes)", file, size);
  console.log("saved", file);
}

function announce() {
  // ruleid: ellipsis-metavariable-duplicate-log
  logger.info();
  console.log();
}

module.exports = { parents, save, saveQuietly, announce };
