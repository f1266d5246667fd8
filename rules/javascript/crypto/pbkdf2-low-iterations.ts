import * as crypto from "crypto";
import { pbkdf2 } from "crypto";

export function deriveKey(password: string, salt: Buffer): Buffer {
  // ruleid: javascript.crypto.pbkdf2-low-iterations
  return crypto.pbkdf2Sync(password, salt, 1000, 32, "sha256");
}

export function hashPassword(password: string, salt: Buffer, done: (err: Error | null, key: Buffer) => void): void {
  // ruleid: javascript.crypto.pbkdf2-low-iterations
  pbkdf2(password, salt, 10000, 64, "sha512", done);
}

export function strongKey(password: string, salt: Buffer): Buffer {
  // ok: javascript.crypto.pbkdf2-low-iterations
  return crypto.pbkdf2Sync(password, salt, 600000, 32, "sha256");
}

export function configuredKey(password: string, salt: Buffer, iterations: number): Buffer {
  // ok: javascript.crypto.pbkdf2-low-iterations
  return crypto.pbkdf2Sync(password, salt, iterations, 32, "sha256");
}

export function scryptKey(password: string, salt: Buffer): Buffer {
  // ok: javascript.crypto.pbkdf2-low-iterations
  return crypto.scryptSync(password, salt, 32);
}
