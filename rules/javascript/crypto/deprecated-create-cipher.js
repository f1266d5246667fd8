const crypto = require("crypto");
const { createDecipher } = require("crypto");

function encrypt(password, text) {
  // ruleid: javascript.crypto.deprecated-create-cipher
  const cipher = crypto.createCipher("aes-256-cbc", password);
  return cipher.update(text, "utf8", "hex") + cipher.final("hex");
}

function decrypt(password, data) {
  // ruleid: javascript.crypto.deprecated-create-cipher
  const decipher = createDecipher("aes-256-cbc", password);
  return decipher.update(data, "hex", "utf8") + decipher.final("utf8");
}

function encryptWithIv(key, text) {
  const iv = crypto.randomBytes(16);
  // ok: javascript.crypto.deprecated-create-cipher
  const cipher = crypto.createCipheriv("aes-256-cbc", key, iv);
  return cipher.update(text);
}

function otherLibrary(lib, password) {
  // ok: javascript.crypto.deprecated-create-cipher
  return lib.createCipherSuite(password);
}
