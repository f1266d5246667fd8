const fs = require("fs");

function check(user, other, a, b) {
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

function collect(items, item) {
  // ruleid: metavariables-array-pushed-into-itself
  items.push(items);
  // ok: metavariables-array-pushed-into-itself
  items.push(item);
  // ok: metavariables-array-pushed-into-itself
  items.concat(items);
}

function rotate(logPath, archivePath) {
  // ruleid: metavariables-anonymous-rename
  fs.renameSync(logPath, archivePath);
  // ruleid: metavariables-anonymous-rename
  fs.renameSync(logPath, logPath);
  // ok: metavariables-anonymous-rename
  fs.copyFileSync(logPath, archivePath);
}

// ruleid: metavariables-identity-function
function passthrough(value) {
  return value;
}

// ok: metavariables-identity-function
function constant(value) {
  return DEFAULT;
}

// ok: metavariables-identity-function
function double(value) {
  return value * 2;
}

const DEFAULT = null;

module.exports = { check, collect, rotate, passthrough, constant, double };
