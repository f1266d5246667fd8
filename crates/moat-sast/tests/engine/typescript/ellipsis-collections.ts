import type { Response } from "./types";

function origins(kind: string) {
  if (kind === "a") {
    // ruleid: ellipsis-collections-wildcard-origin
    const ALLOWED_ORIGINS = ["https://example.com", "*"];
    return ALLOWED_ORIGINS;
  }
  if (kind === "b") {
    // ruleid: ellipsis-collections-wildcard-origin
    const ALLOWED_ORIGINS = [
      "https://api.example.com",
      "*",
      "https://admin.example.com",
    ];
    return ALLOWED_ORIGINS;
  }
  if (kind === "c") {
    // ok: ellipsis-collections-wildcard-origin
    const ALLOWED_ORIGINS = ["https://example.com", "*.example.com"];
    return ALLOWED_ORIGINS;
  }
  // ok: ellipsis-collections-wildcard-origin
  const TRUSTED_ORIGINS = ["*"];
  return TRUSTED_ORIGINS;
}

function cookies(res: Response, sid: string) {
  // ruleid: ellipsis-collections-insecure-cookie-options
  res.cookie("sid", sid, { secure: false });
  // ruleid: ellipsis-collections-insecure-cookie-options
  const options = { httpOnly: true, secure: false, sameSite: "lax" };
  // ok: ellipsis-collections-insecure-cookie-options
  res.cookie("sid", sid, { secure: true });
  // ok: ellipsis-collections-insecure-cookie-options
  res.cookie("sid", sid, { httpOnly: false });
  return options;
}

const databases = {
  // ruleid: ellipsis-collections-hardcoded-password-property
  primary: { user: "app", password: "hunter2", host: "db" },
  // ok: ellipsis-collections-hardcoded-password-property
  replica: { user: "app", password: process.env.REPLICA_PASSWORD, host: "db2" },
  // ok: ellipsis-collections-hardcoded-password-property
  cache: { user: "app", host: "cache" },
};

export { origins, cookies, databases };
