import { sign } from "jsonwebtoken";
import jwt from "jsonwebtoken";

export function issueDebugToken(userId: string): string {
  // ruleid: javascript.jwt.sign-none-algorithm
  return sign({ sub: userId }, "", { algorithm: "none" });
}

export function issueUnsigned(userId: string): string {
  // ruleid: javascript.jwt.sign-none-algorithm
  return jwt.sign({ sub: userId }, null as unknown as string, { algorithm: "none", expiresIn: "1h" });
}

export function issueToken(userId: string, privateKey: string): string {
  // ok: javascript.jwt.sign-none-algorithm
  return jwt.sign({ sub: userId }, privateKey, { algorithm: "RS256", expiresIn: "15m" });
}

export function issueDefault(userId: string, secret: string): string {
  // ok: javascript.jwt.sign-none-algorithm
  return sign({ sub: userId }, secret);
}
