import * as jwt from "jsonwebtoken";
import type { User } from "./types";

function issue(user: User) {
  // ok: focus-metavariable-jwt-secret
  const token = jwt.sign(
    { sub: user.id },
    // ruleid: focus-metavariable-jwt-secret
    "hard-coded-signing-secret",
    { expiresIn: "1h" },
  );
  // ruleid: focus-metavariable-jwt-secret
  const short = jwt.sign({ sub: user.id }, "s3cret");
  // ok: focus-metavariable-jwt-secret
  const fromEnv = jwt.sign({ sub: user.id }, process.env.JWT_SECRET);
  return [token, short, fromEnv];
}

const sessionSecret =
  // ok: focus-metavariable-secret-fallback
  process.env.SESSION_SECRET ||
  // ruleid: focus-metavariable-secret-fallback
  "keyboard cat";

// ruleid: focus-metavariable-secret-fallback
const otherSecret = process.env.SESSION_SECRET || generateDefault();

// ok: focus-metavariable-secret-fallback
const cookieSecret = process.env.COOKIE_SECRET || "dev";

function generateDefault() {
  return Math.random().toString(36);
}

export { issue, sessionSecret, otherSecret, cookieSecret };
