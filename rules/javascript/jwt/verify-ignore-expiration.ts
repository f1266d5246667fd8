import jwt from "jsonwebtoken";
import { verify } from "jsonwebtoken";

export function claims(token: string, key: string) {
  // ruleid: javascript.jwt.verify-ignore-expiration
  return jwt.verify(token, key, { algorithms: ["RS256"], ignoreExpiration: true });
}

export function claimsCallback(token: string, key: string, done: (e: unknown, c: unknown) => void) {
  // ruleid: javascript.jwt.verify-ignore-expiration
  verify(token, key, { ignoreExpiration: true }, done);
}

export function claimsChecked(token: string, key: string) {
  // ok: javascript.jwt.verify-ignore-expiration
  return jwt.verify(token, key, { algorithms: ["RS256"], clockTolerance: 30 });
}

export function claimsExplicit(token: string, key: string) {
  // ok: javascript.jwt.verify-ignore-expiration
  return jwt.verify(token, key, { algorithms: ["RS256"], ignoreExpiration: false });
}
