function issueReset(user) {
  // ruleid: javascript.crypto.insecure-random-token
  const resetToken = Math.random().toString(36).slice(2);
  return resetToken;
}

function makePassword() {
  // ruleid: javascript.crypto.insecure-random-token
  let tempPassword = Math.floor(Math.random() * 1e8).toString();
  return tempPassword;
}

class Session {
  constructor() {
    // ruleid: javascript.crypto.insecure-random-token
    this.sessionId = String(Math.random()).substring(2);
  }
}

function apiCredentials() {
  return {
    name: "default",
    // ruleid: javascript.crypto.insecure-random-token
    apiKey: Math.random().toString(16),
  };
}

function secureToken(crypto) {
  // ok: javascript.crypto.insecure-random-token
  const resetToken = crypto.randomBytes(32).toString("hex");
  return resetToken;
}

function animation() {
  // ok: javascript.crypto.insecure-random-token
  const jitter = Math.random() * 100;
  return jitter;
}

function pick(items) {
  // ok: javascript.crypto.insecure-random-token
  const index = Math.floor(Math.random() * items.length);
  return items[index];
}
