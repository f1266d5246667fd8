import type { Request, Response } from "./types";

function login(req: Request, res: Response, sessionId: string) {
  // ruleid: pattern-not-open-redirect
  res.redirect(req.query.next);
  // ruleid: pattern-not-open-redirect
  res.redirect("/home?from=" + req.path);
  // ok: pattern-not-open-redirect
  res.redirect("/login");
  // ok: pattern-not-open-redirect
  res.redirect(302, req.query.next);

  // ruleid: pattern-not-insecure-cookie
  res.cookie("sid", sessionId);
  // ruleid: pattern-not-insecure-cookie
  res.cookie("sid", sessionId, { httpOnly: true });
  // ruleid: pattern-not-insecure-cookie
  res.cookie("sid", sessionId, { secure: false });
  // ok: pattern-not-insecure-cookie
  res.cookie("sid", sessionId, { secure: true, httpOnly: true });
  // ok: pattern-not-insecure-cookie
  res.cookie("sid", sessionId, { httpOnly: true, sameSite: "lax", secure: true });
}

export { login };
