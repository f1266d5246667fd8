import jwt from "jsonwebtoken";

export function issue(userId: string): string {
  // ruleid: javascript.jwt.hardcoded-secret
  return jwt.sign({ sub: userId }, "super-secret-signing-key", { expiresIn: "1h" });
}

export function check(token: string) {
  // ruleid: javascript.jwt.hardcoded-secret
  return jwt.verify(token, 'super-secret-signing-key', { algorithms: ["HS256"] });
}

export function issueFromEnv(userId: string): string {
  // ok: javascript.jwt.hardcoded-secret
  return jwt.sign({ sub: userId }, process.env.JWT_SECRET as string, { expiresIn: "1h" });
}

export function checkWithKey(token: string, publicKey: string) {
  // ok: javascript.jwt.hardcoded-secret
  return jwt.verify(token, publicKey, { algorithms: ["RS256"] });
}
