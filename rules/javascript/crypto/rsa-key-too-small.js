const crypto = require("crypto");
const { generateKeyPair } = require("crypto");

// ruleid: javascript.crypto.rsa-key-too-small
const weak = crypto.generateKeyPairSync("rsa", { modulusLength: 1024 });

// ruleid: javascript.crypto.rsa-key-too-small
generateKeyPair("rsa-pss", { modulusLength: 512, hashAlgorithm: "sha256" }, (err, pub, priv) => {
  console.log(err, pub, priv);
});

// ok: javascript.crypto.rsa-key-too-small
const strong = crypto.generateKeyPairSync("rsa", { modulusLength: 3072 });

// ok: javascript.crypto.rsa-key-too-small
const curve = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });

function fromConfig(bits) {
  // ok: javascript.crypto.rsa-key-too-small
  return crypto.generateKeyPairSync("rsa", { modulusLength: bits });
}

module.exports = { weak, strong, curve, fromConfig };
