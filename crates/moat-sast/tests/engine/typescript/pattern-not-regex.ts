// ruleid: pattern-not-regex-hardcoded-password
const DB_PASSWORD = "hunter2";

// ruleid: pattern-not-regex-hardcoded-password
const PASSWORD = "correct horse battery staple";

// ok: pattern-not-regex-hardcoded-password
const ADMIN_PASSWORD = "changeme";

// ok: pattern-not-regex-hardcoded-password
const SMTP_PASSWORD = "<smtp-password>";

// ok: pattern-not-regex-hardcoded-password
const CACHE_PASSWORD = "";

// ok: pattern-not-regex-hardcoded-password
const USERNAME = "admin";

async function health() {
  // ruleid: pattern-not-regex-remote-http
  await fetch("http://api.example.com/health");
  // ok: pattern-not-regex-remote-http
  await fetch("http://localhost:8000/health");
  // ok: pattern-not-regex-remote-http
  await fetch("http://127.0.0.1/status");
  // ruleid: pattern-not-regex-remote-http
  await fetch("https://localhost.example.com/");
}

export { DB_PASSWORD, PASSWORD, ADMIN_PASSWORD, SMTP_PASSWORD, CACHE_PASSWORD, USERNAME, health };
