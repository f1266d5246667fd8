const https = require("https");
const tls = require("tls");

function fetchStatus(host) {
  // ruleid: javascript.node.tls-reject-unauthorized-disabled
  return https.get({ host, path: "/status", rejectUnauthorized: false });
}

function connect(host, port) {
  const options = {
    host,
    port,
    // ruleid: javascript.node.tls-reject-unauthorized-disabled
    rejectUnauthorized: false,
  };
  return tls.connect(options);
}

function agent() {
  const a = new https.Agent();
  // ruleid: javascript.node.tls-reject-unauthorized-disabled
  a.options.rejectUnauthorized = false;
  return a;
}

function fetchVerified(host) {
  // ok: javascript.node.tls-reject-unauthorized-disabled
  return https.get({ host, path: "/status", rejectUnauthorized: true });
}

function fetchPrivateCa(host, ca) {
  // ok: javascript.node.tls-reject-unauthorized-disabled
  return https.get({ host, ca, rejectUnauthorized: process.env.NODE_ENV === "production" });
}

function other() {
  // ok: javascript.node.tls-reject-unauthorized-disabled
  return { requestCert: false };
}
