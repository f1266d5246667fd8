const crypto = require("crypto");
const { createDecipheriv } = require("crypto");

function encryptLegacy(key, iv, text) {
  // ruleid: javascript.crypto.weak-cipher-algorithm
  const cipher = crypto.createCipheriv("des-cbc", key, iv);
  return cipher.update(text, "utf8", "hex") + cipher.final("hex");
}

function encryptStream(key, text) {
  // ruleid: javascript.crypto.weak-cipher-algorithm
  const cipher = crypto.createCipheriv('rc4', key, null);
  return cipher.update(text);
}

function decryptEcb(key, data) {
  // ruleid: javascript.crypto.weak-cipher-algorithm
  const decipher = createDecipheriv("aes-128-ecb", key, null);
  return decipher.update(data);
}

function encryptBlowfish(key, iv, text) {
  // ruleid: javascript.crypto.weak-cipher-algorithm
  return crypto.createCipheriv("bf-cbc", key, iv).update(text);
}

function encryptGcm(key, text) {
  const iv = crypto.randomBytes(12);
  // ok: javascript.crypto.weak-cipher-algorithm
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  return cipher.update(text);
}

function decryptChaCha(key, iv, data) {
  // ok: javascript.crypto.weak-cipher-algorithm
  const decipher = createDecipheriv("chacha20-poly1305", key, iv, { authTagLength: 16 });
  return decipher.update(data);
}

function describe(algo) {
  // ok: javascript.crypto.weak-cipher-algorithm
  return logger.createCipheriv("des-cbc");
}
