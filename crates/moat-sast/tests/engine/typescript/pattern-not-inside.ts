import * as fs from "fs";

function readConfig(text: string) {
  // ruleid: pattern-not-inside-unguarded-parse
  return JSON.parse(text);
}

function readConfigSafely(text: string) {
  try {
    // ok: pattern-not-inside-unguarded-parse
    return JSON.parse(text);
  } catch (err) {
    return null;
  }
}

function readNested(text: string, fallback: string) {
  try {
    if (text.length > 0) {
      // ok: pattern-not-inside-unguarded-parse
      return JSON.parse(text);
    }
  } catch (err) {
    console.error(err);
  }
  // ruleid: pattern-not-inside-unguarded-parse
  return JSON.parse(fallback);
}

function cleanup(tmpPath: string, lockPath: string) {
  // ruleid: pattern-not-inside-unchecked-unlink
  fs.unlinkSync(tmpPath);
  if (fs.existsSync(lockPath)) {
    // ok: pattern-not-inside-unchecked-unlink
    fs.unlinkSync(lockPath);
  }
  if (fs.existsSync(lockPath)) {
    // ruleid: pattern-not-inside-unchecked-unlink
    fs.unlinkSync(tmpPath);
  }
}

export { readConfig, readConfigSafely, readNested, cleanup };
