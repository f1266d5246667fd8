import * as crypto from "crypto";

// ruleid: metavariable-regex-secret-name
const dbPassword = "hunter2";

// ruleid: metavariable-regex-secret-name
const API_TOKEN = 'tok_live_42';

// ok: metavariable-regex-secret-name
const username = "admin";

// ok: metavariable-regex-secret-name
const sessionTimeout = "30m";

// ok: metavariable-regex-secret-name
const PASSWORD_LABEL = 3;

function render(template: string, context: string) {
  // ruleid: metavariable-regex-anchored-prefix
  const html = unsafeRender(template, context);
  // ok: metavariable-regex-anchored-prefix
  const text = renderUnsafe(template, context);
  // ok: metavariable-regex-anchored-prefix
  const safe = escapeUnsafeChars(html);
  return [text, safe];
}

function encrypt(password: string, key: string, iv: string, data: string) {
  // ruleid: metavariable-regex-deprecated-cipher
  const legacy = crypto.createCipher("aes192", password);
  // ruleid: metavariable-regex-deprecated-cipher
  const legacyDecipher = crypto.createDecipher("aes192", password);
  // ok: metavariable-regex-deprecated-cipher
  const modern = crypto.createCipheriv("aes-256-gcm", key, iv);
  // ok: metavariable-regex-deprecated-cipher
  const hash = crypto.createHash("sha256").update(data);
  return [legacy, legacyDecipher, modern, hash];
}

export { dbPassword, API_TOKEN, username, sessionTimeout, PASSWORD_LABEL, render, encrypt };
