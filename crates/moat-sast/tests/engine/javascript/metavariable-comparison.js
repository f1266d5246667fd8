const crypto = require("crypto");
const bcrypt = require("bcrypt");

function makeKeys() {
  // ruleid: metavariable-comparison-small-rsa-key
  const weak = crypto.generateKeyPairSync("rsa", { modulusLength: 1024 });
  // ok: metavariable-comparison-small-rsa-key
  const strong = crypto.generateKeyPairSync("rsa", { modulusLength: 4096, publicExponent: 65537 });
  // ok: metavariable-comparison-small-rsa-key
  const exact = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  return [weak, strong, exact];
}

function serve(server, api) {
  // ruleid: metavariable-comparison-privileged-port
  server.listen(80, "0.0.0.0");
  // ok: metavariable-comparison-privileged-port
  server.listen(443);
  // ok: metavariable-comparison-privileged-port
  api.listen(8080, () => console.log("ready"));
}

function schedule(refresh) {
  // ruleid: metavariable-comparison-long-timeout
  setTimeout(refresh, 120000);
  // ok: metavariable-comparison-long-timeout
  setTimeout(refresh, 60000);
  // ok: metavariable-comparison-long-timeout
  setTimeout(refresh, 500);
}

async function store(password) {
  // ruleid: metavariable-comparison-bcrypt-rounds
  const cheap = await bcrypt.hash(password, 8);
  // ruleid: metavariable-comparison-bcrypt-rounds
  const slow = await bcrypt.hash(password, 25);
  // ok: metavariable-comparison-bcrypt-rounds
  const good = await bcrypt.hash(password, 12);
  return [cheap, slow, good];
}

module.exports = { makeKeys, serve, schedule, store };
