import bcrypt from "bcrypt";
import * as bcryptjs from "bcryptjs";

export async function register(password: string): Promise<string> {
  // ruleid: javascript.crypto.bcrypt-low-cost-factor
  return bcrypt.hash(password, 8);
}

export function registerSync(password: string): string {
  // ruleid: javascript.crypto.bcrypt-low-cost-factor
  const salt = bcryptjs.genSaltSync(4);
  return bcryptjs.hashSync(password, salt);
}

export async function legacy(password: string): Promise<string> {
  // ruleid: javascript.crypto.bcrypt-low-cost-factor
  const salt = await bcrypt.genSalt(6);
  return bcrypt.hash(password, salt);
}

export async function strong(password: string): Promise<string> {
  // ok: javascript.crypto.bcrypt-low-cost-factor
  return bcrypt.hash(password, 12);
}

export function strongSync(password: string, rounds: number): string {
  // ok: javascript.crypto.bcrypt-low-cost-factor
  return bcryptjs.hashSync(password, rounds);
}

export async function otherHasher(hasher: { hash(p: string, n: number): string }, password: string) {
  // ok: javascript.crypto.bcrypt-low-cost-factor
  return hasher.hash(password, 4);
}
