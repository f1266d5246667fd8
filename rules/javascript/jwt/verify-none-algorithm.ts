import jwt from "jsonwebtoken";
import * as jsonwebtoken from "jsonwebtoken";

export function readClaims(token: string, key: string) {
  // ruleid: javascript.jwt.verify-none-algorithm
  return jwt.verify(token, key, { algorithms: ["HS256", "none"] });
}

export function readClaimsAsync(token: string, key: string, done: (err: unknown, claims: unknown) => void) {
  // ruleid: javascript.jwt.verify-none-algorithm
  jsonwebtoken.verify(token, key, { algorithms: ["none"], audience: "api" }, done);
}

export function readClaimsSafely(token: string, key: string) {
  // ok: javascript.jwt.verify-none-algorithm
  return jwt.verify(token, key, { algorithms: ["RS256"] });
}

export function noOptions(token: string, key: string) {
  // ok: javascript.jwt.verify-none-algorithm
  return jwt.verify(token, key);
}

export function otherVerifier(verifier: { verify(t: string, k: string, o: object): unknown }, token: string, key: string) {
  // ok: javascript.jwt.verify-none-algorithm
  return verifier.verify(token, key, { algorithms: ["none"] });
}
