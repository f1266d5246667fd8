import jwt from "jsonwebtoken";
import { decode as decodeJwt } from "jsonwebtoken";

export function currentUser(token: string) {
  // ruleid: javascript.jwt.decode-without-verify
  const claims = jwt.decode(token) as { sub: string; admin: boolean } | null;
  return claims?.admin ? "admin" : claims?.sub;
}

export function header(token: string) {
  // ruleid: javascript.jwt.decode-without-verify
  return decodeJwt(token, { complete: true })?.header;
}

export function currentUserVerified(token: string, key: string) {
  // ok: javascript.jwt.decode-without-verify
  const claims = jwt.verify(token, key, { algorithms: ["RS256"] });
  return claims;
}

export function decodeBase64(text: string): string {
  // ok: javascript.jwt.decode-without-verify
  return Buffer.from(text, "base64").toString("utf8");
}

export function uriDecode(text: string): string {
  // ok: javascript.jwt.decode-without-verify
  return decodeURIComponent(text);
}
