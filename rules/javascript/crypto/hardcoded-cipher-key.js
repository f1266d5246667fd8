import crypto from "crypto";
import { createHmac as hmac } from "crypto";

export function encrypt(iv, text) {
  // ruleid: javascript.crypto.hardcoded-cipher-key
  const cipher = crypto.createCipheriv("aes-256-gcm", "0123456789abcdef0123456789abcdef", iv);
  return cipher.update(text);
}

export function sign(body) {
  // ruleid: javascript.crypto.hardcoded-cipher-key
  return hmac("sha256", "webhook-signing-secret").update(body).digest("hex");
}

export function decrypt(iv, data) {
  // ruleid: javascript.crypto.hardcoded-cipher-key
  const decipher = crypto.createDecipheriv("aes-256-cbc", Buffer.from("c2VjcmV0LWtleS1zZWNyZXQta2V5LTEyMzQ1Njc4", "base64"), iv);
  return decipher.update(data);
}

export function encryptFromEnv(iv, text) {
  const key = Buffer.from(process.env.DATA_KEY, "base64");
  // ok: javascript.crypto.hardcoded-cipher-key
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  return cipher.update(text);
}

export function signFromConfig(config, body) {
  // ok: javascript.crypto.hardcoded-cipher-key
  return hmac("sha256", config.webhookSecret).update(body).digest("hex");
}
