import * as crypto from "crypto";
import * as bcrypt from "bcrypt";
import type { Server } from "./types";

function makeKeys() {
  // ruleid: metavariable-comparison-small-rsa-key
  const weak = crypto.generateKeyPairSync("rsa", { modulusLength: 1024 });
  // ok: metavariable-comparison-small-rsa-key
  const strong = crypto.generateKeyPairSync("rsa", { modulusLength: 4096, publicExponent: 65537 });
  // ok: metavariable-comparison-small-rsa-key
  const exact = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  return [weak, strong, exact];
}

function serve(server: Server, api: Server) {
  // ruleid: metavariable-comparison-privileged-port
  server.listen(80, "0.0.0.0");
  // ok: metavariable-comparison-privileged-port
  server.listen(443);
  // ok: metavariable-comparison-privileged-port
  api.listen(8080, () => console.log("ready"));
}

function schedule(refresh: () => void) {
  // ruleid: metavariable-comparison-long-timeout
  setTimeout(refresh, 120000);
  // ok: metavariable-comparison-long-timeout
  setTimeout(refresh, 60000);
  // ok: metavariable-comparison-long-timeout
  setTimeout(refresh, 500);
}

async function store(password: string) {
  // ruleid: metavariable-comparison-bcrypt-rounds
  const cheap = await bcrypt.hash(password, 8);
  // ruleid: metavariable-comparison-bcrypt-rounds
  const slow = await bcrypt.hash(password, 25);
  // ok: metavariable-comparison-bcrypt-rounds
  const good = await bcrypt.hash(password, 12);
  return [cheap, slow, good];
}

export { makeKeys, serve, schedule, store };
