function setup() {
  // ruleid: javascript.node.tls-reject-unauthorized-env
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
}

function setupAgain() {
  // ruleid: javascript.node.tls-reject-unauthorized-env
  process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = '0';
}

function restore() {
  // ok: javascript.node.tls-reject-unauthorized-env
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "1";
}

function extraCa() {
  // ok: javascript.node.tls-reject-unauthorized-env
  process.env.NODE_EXTRA_CA_CERTS = "/etc/ssl/internal-ca.pem";
}

function read() {
  // ok: javascript.node.tls-reject-unauthorized-env
  return process.env.NODE_TLS_REJECT_UNAUTHORIZED === "0";
}
