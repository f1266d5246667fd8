const crypto = require("crypto");
const { createCipheriv } = require("crypto");

function encryptA(key, text) {
  // ruleid: javascript.crypto.hardcoded-iv
  const cipher = crypto.createCipheriv("aes-256-cbc", key, "0123456789abcdef");
  return cipher.update(text);
}

function encryptB(key, text) {
  // ruleid: javascript.crypto.hardcoded-iv
  const cipher = createCipheriv("aes-256-gcm", key, Buffer.alloc(12, 0));
  return cipher.update(text);
}

function encryptC(key, text) {
  // ruleid: javascript.crypto.hardcoded-iv
  const cipher = crypto.createCipheriv("aes-128-ctr", key, Buffer.from("000102030405060708090a0b0c0d0e0f", "hex"));
  return cipher.update(text);
}

function encryptRandom(key, text) {
  const iv = crypto.randomBytes(12);
  // ok: javascript.crypto.hardcoded-iv
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  return { iv, data: cipher.update(text) };
}

function decrypt(key, iv, data) {
  // ok: javascript.crypto.hardcoded-iv
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "hex"));
  return decipher.update(data);
}
