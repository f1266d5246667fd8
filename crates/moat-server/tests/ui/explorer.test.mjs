// The Explorer in a real browser: Debian's Chromium driven by playwright-core, against a
// real `moat serve` (SQLite in a temporary directory) fed through its HTTP API.
//
// MOAT_BIN names the moat binary (scripts/test-ui sets it). Screenshots go to
// MOAT_UI_ARTIFACTS (default: tests/ui/artifacts beside this file).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = process.env.MOAT_UI_ARTIFACTS || join(here, "artifacts");
const moat = process.env.MOAT_BIN;
const PASSWORD = "correct-horse-battery";

let server, base, dataDir, browser;
const keys = {};

async function api(method, path, { key, body, cookie } = {}) {
  const headers = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (cookie) headers.cookie = cookie;
  if (body !== undefined) headers["content-type"] = "application/json";
  const reply = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: "manual",
  });
  const text = await reply.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: reply.status, json, text, headers: reply.headers };
}

function finding(rule, path, line, severity, fingerprint, extra = {}) {
  return {
    rule_id: rule, kind: "sast", severity, confidence: "high", cwe: ["CWE-89"], owasp: ["A03:2021"],
    title: `Title of ${rule}`, message: `Message of ${rule} at ${path}:${line}`,
    location: { path, start: { line, column: 5 }, end: { line, column: 20 } },
    snippet: "    cursor.execute(query)", remediation: "Use bound parameters.",
    evidence: { $QUERY: "query" }, fingerprint, ...extra,
  };
}

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(moat, ["serve", "--addr", "127.0.0.1:0", "--data-dir", dataDir], {
      env: { ...process.env, MOAT_ADMIN_PASSWORD: PASSWORD, MOAT_LOG: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const timer = setTimeout(() => reject(new Error(`moat serve did not start: ${out}`)), 30_000);
    const read = (chunk) => {
      out += chunk;
      const match = out.match(/listening on (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("exit", (code) => reject(new Error(`moat serve exited with ${code}: ${out}`)));
  });
}

before(async () => {
  assert.ok(moat, "set MOAT_BIN to the moat binary (scripts/test-ui does)");
  mkdirSync(artifacts, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), "moat-ui-"));
  ({ child: server, url: base } = await startServer());

  const login = await api("POST", "/api/v1/login", { body: { username: "admin", password: PASSWORD } });
  assert.equal(login.status, 200, login.text);
  const cookie = login.headers.get("set-cookie").split(";")[0];
  for (const scope of ["upload", "admin"]) {
    const made = await api("POST", "/api/v1/api-keys", { cookie, body: { name: `ui-${scope}`, scope } });
    assert.equal(made.status, 201, made.text);
    keys[scope] = made.json.key;
  }
  for (const [username, role] of [["mia", "member"], ["vic", "viewer"]]) {
    const made = await api("POST", "/api/v1/users", { key: keys.admin, body: { username, password: PASSWORD, role } });
    assert.equal(made.status, 201, made.text);
  }

  // A scan of a repository: 30 findings over three pages of 20... and one whose title
  // is markup, which the page must show as text.
  const findings = [];
  for (let i = 0; i < 27; i++) {
    findings.push(finding(`py.rule-${i % 3}`, `app/module_${i}.py`, 10 + i, ["medium", "low", "info"][i % 3], `bulk-${i}`));
  }
  findings.push(finding("py.sqli", "app/db.py", 42, "critical", "sqli-1", {
    title: "SQL injection in the search endpoint",
    cwe: ["CWE-89"],
    code_flows: [{ steps: [
      { path: "app/views.py", start: { line: 7, column: 12 }, end: { line: 7, column: 30 } },
      { path: "app/search.py", start: { line: 19, column: 5 }, end: { line: 19, column: 40 } },
      { path: "app/db.py", start: { line: 42, column: 9 }, end: { line: 42, column: 30 } },
    ] }],
    references: ["https://cwe.mitre.org/data/definitions/89.html"],
  }));
  findings.push(finding("py.xss", "app/views.py", 77, "high", "xss-1", {
    title: "<script>alert('title')</script> reflected", cwe: ["CWE-79"],
  }));
  findings.push(finding("py.deps", "requirements.txt", 3, "high", "dep-1", {
    kind: "sca", title: "jinja2 3.0.0 has a sandbox escape", cwe: ["CWE-1336"],
    evidence: { package: "jinja2", ecosystem: "PyPI", version: "3.0.0", affected: "<3.1.3", fixed: "3.1.3" },
  }));
  const scan = await api("POST", "/api/v1/scans?repository=acme/shop&branch=main&commit=9f1c2d3e4b5a&scan_id=ui-scan-1",
    { key: keys.upload, body: { version: 1, tool: { name: "moat", version: "0.1.0" }, findings, skipped: [], summary: { findings: findings.length } } });
  assert.equal(scan.status, 201, scan.text);

  // A runtime report from an agent in production.
  const runtime = await api("POST", "/api/v1/runtime", { key: keys.upload, body: {
    version: 1, batch_id: "ui-agent-1", service: "shop-api", env: "production",
    agent: { name: "moat-iast", version: "0.1.0", language: "python" },
    vulnerabilities: [{
      type: "SQL_INJECTION", location: { path: "shop/users.py", line: 23 },
      request: { method: "GET", path: "/users" },
      evidence: { value: "SELECT name FROM users WHERE id = 1 OR 1=1",
        parts: [{ value: "SELECT name FROM users WHERE id = " },
                { value: "1 OR 1=1", source: { origin: "parameter", name: "id" } }] },
      source: { origin: "parameter", name: "id" }, hash: "ui-runtime-1",
    }],
    libraries: [],
  } });
  assert.equal(runtime.status, 201, runtime.text);

  browser = await chromium.launch({
    executablePath: process.env.MOAT_CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A fresh browser context (its own cookies) with a page that fails the test on script errors. */
async function newPage(t) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // Pages may answer 4xx on purpose; what they load (style, script) must not fail.
  page.on("response", (r) => {
    if (r.request().resourceType() !== "document" && r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
  });
  page.on("requestfailed", (r) => errors.push(`failed: ${r.url()}`));
  t.after(async () => {
    await context.close();
    assert.deepEqual(errors, [], "no script or loading errors on the pages");
  });
  return page;
}

async function logIn(page, username, next = "/") {
  await page.goto(base + next);
  assert.match(page.url(), /\/login\?next=/, "a page asks to log in first");
  await page.fill("input[name=username]", username);
  await page.fill("input[name=password]", PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click("section.login button[type=submit]")]);
}

const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
const rowTitles = (page) => page.locator("table.vulns tbody td.title > a").allTextContents();

test("log in, and come back to the page asked for", async (t) => {
  const page = await newPage(t);
  await page.goto(`${base}/?kind=sca`);
  assert.match(page.url(), /\/login\?next=%2F%3Fkind%3Dsca$/);
  await page.fill("input[name=username]", "admin");
  await page.fill("input[name=password]", "not the password");
  await Promise.all([page.waitForNavigation(), page.click("section.login button[type=submit]")]);
  assert.match(await page.locator(".problem").textContent(), /wrong username or password/i);
  await shot(page, "login-refused");

  await page.fill("input[name=password]", PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click("section.login button[type=submit]")]);
  assert.equal(new URL(page.url()).search, "?kind=sca");
  assert.deepEqual(await rowTitles(page), ["jinja2 3.0.0 has a sandbox escape"]);
  assert.equal(await page.locator(".who .user").textContent(), "admin");

  // Log out: the session ends, pages ask to log in again.
  await Promise.all([page.waitForNavigation(), page.click(".who button")]);
  assert.match(page.url(), /\/login$/);
  await page.goto(`${base}/`);
  assert.match(page.url(), /\/login\?next=/);
});

test("the list: worst first, facets with counts, filters, search, sort and pages", async (t) => {
  const page = await newPage(t);
  await logIn(page, "mia");
  assert.equal(new URL(page.url()).pathname, "/");
  await shot(page, "list");

  assert.match(await page.locator(".summary").textContent(), /Showing 1–31 of 31/);
  const severities = await page.locator("table.vulns tbody .sev").allTextContents();
  assert.deepEqual(severities.slice(0, 4), ["critical", "critical", "high", "high"]);
  const titles = await rowTitles(page);
  assert.ok(titles.includes("<script>alert('title')</script> reflected"), "markup in a title is shown as text");
  assert.equal(await page.locator("table.vulns script").count(), 0);

  // Facet counts, then a facet chosen.
  const facet = (name, value) => page.locator(`.facet[data-facet="${name}"] a[data-value="${value}"]`);
  assert.equal(await facet("severity", "high").locator(".count").textContent(), "2");
  assert.equal(await facet("kind", "iast").locator(".count").textContent(), "1");
  assert.equal(await facet("repository", "shop-api").locator(".count").textContent(), "1");
  assert.equal(await facet("environment", "production").locator(".count").textContent(), "1");
  assert.equal(await facet("cwe", "CWE-79").locator(".count").textContent(), "1");
  assert.equal(await facet("assignee", "none").locator(".count").textContent(), "31");
  await Promise.all([page.waitForNavigation(), facet("severity", "high").click()]);
  assert.equal(new URL(page.url()).searchParams.get("severity"), "high");
  assert.deepEqual(
    new Set(await page.locator("table.vulns tbody .sev").allTextContents()), new Set(["high"]));
  assert.equal((await rowTitles(page)).length, 2);
  // Facets of other dimensions count within the filter; its own keeps every value.
  assert.equal(await facet("kind", "sca").locator(".count").textContent(), "1");
  assert.equal(await facet("severity", "medium").locator(".count").textContent(), "9");
  await Promise.all([page.waitForNavigation(), facet("kind", "sca").click()]);
  assert.deepEqual(await rowTitles(page), ["jinja2 3.0.0 has a sandbox escape"]);
  await shot(page, "list-filtered");
  await Promise.all([page.waitForNavigation(), page.click("text=Clear all")]);
  assert.equal(new URL(page.url()).search, "");

  // Rule and CWE facets filter too.
  await Promise.all([page.waitForNavigation(), facet("rule", "py.rule-1").click()]);
  assert.equal((await rowTitles(page)).length, 9);
  await Promise.all([page.waitForNavigation(), page.click("text=Clear all")]);

  // Free text, kept with the facets chosen.
  await Promise.all([page.waitForNavigation(), facet("severity", "critical").click()]);
  await page.fill("input[name=q]", "search endpoint");
  await Promise.all([page.waitForNavigation(), page.click("form.search button")]);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get("q"), "search endpoint");
  assert.equal(url.searchParams.get("severity"), "critical");
  assert.deepEqual(await rowTitles(page), ["SQL injection in the search endpoint"]);
  await page.fill("input[name=q]", "no such words anywhere");
  await Promise.all([page.waitForNavigation(), page.click("form.search button")]);
  assert.match(await page.locator(".summary").textContent(), /No vulnerabilities match/);

  // Sorting: the select applies at once (script), the headings are links.
  await page.goto(`${base}/`);
  await Promise.all([page.waitForNavigation(), page.selectOption("select[name=sort]", "path")]);
  assert.equal(new URL(page.url()).searchParams.get("sort"), "path");
  const paths = await page.locator("table.vulns tbody td.location code").allTextContents();
  assert.deepEqual(paths, [...paths].sort());
  await Promise.all([page.waitForNavigation(), page.click("th >> text=Severity")]);
  assert.equal(new URL(page.url()).searchParams.get("sort"), null, "back to the default order");

  // Pages, through the same query as the API.
  await page.goto(`${base}/?per_page=20`);
  assert.equal((await rowTitles(page)).length, 20);
  assert.match(await page.locator("nav.pages").textContent(), /Page 1 of 2/);
  await Promise.all([page.waitForNavigation(), page.click("a[rel=next]")]);
  assert.equal((await rowTitles(page)).length, 11);
  assert.equal(new URL(page.url()).searchParams.get("page"), "2");

  // A bad filter is a clear 400 page, not a crash.
  const bad = await page.goto(`${base}/?severity=urgent`);
  assert.equal(bad.status(), 400);
  assert.match(await page.locator(".error .message").textContent(), /`urgent` is not a valid severity/);
});

test("the detail page: description, code, data flow, detection, remediation", async (t) => {
  const page = await newPage(t);
  await logIn(page, "vic", "/?severity=critical");
  await Promise.all([page.waitForNavigation(), page.click("text=SQL injection in the search endpoint")]);
  assert.match(page.url(), /\/vulnerabilities\/\d+$/);
  await shot(page, "detail");

  const text = await page.locator("main").innerText();
  assert.match(text, /Message of py\.sqli at app\/db\.py:42/);
  assert.match(text, /app\/db\.py:42:5/);
  assert.match(await page.locator("pre.snippet").textContent(), /cursor\.execute\(query\)/);
  const flow = await page.locator("ol.flow li").allInnerTexts();
  assert.deepEqual(flow.map((s) => s.replace(/\s+/g, " ").trim()), [
    "SOURCE app/views.py:7:12", "STEP app/search.py:19:5", "SINK app/db.py:42:9",
  ]);
  assert.match(text, /First detected[\s\S]*ui-scan-1[\s\S]*commit 9f1c2d3e4b5a/);
  assert.match(text, /Use bound parameters\./);
  assert.equal(await page.locator("a[href='https://cwe.mitre.org/data/definitions/89.html']").count(), 1);
  assert.match(await page.locator("ol.history").innerText(), /First detected by scan ui-scan-1/);
  // A viewer reads but has no triage forms.
  assert.equal(await page.locator("aside.triage").count(), 0);
  assert.equal(await page.locator("form.comment").count(), 0);

  // Dependencies show affected and fixed versions.
  await page.goto(`${base}/?kind=sca`);
  await Promise.all([page.waitForNavigation(), page.click("table.vulns td.title > a")]);
  const dependency = await page.locator("section.block", { hasText: "Dependency" }).innerText();
  assert.match(dependency, /Package\s+jinja2/);
  assert.match(dependency, /Affected versions\s+<3\.1\.3/);
  assert.match(dependency, /Fixed in\s+3\.1\.3/);

  // Runtime findings show the request and the value with the request's part marked.
  await page.goto(`${base}/?kind=iast`);
  await Promise.all([page.waitForNavigation(), page.click("table.vulns td.title > a")]);
  await shot(page, "detail-runtime");
  const runtime = page.locator("section.block", { hasText: "Runtime evidence" });
  assert.match(await runtime.innerText(), /GET \/users/);
  assert.equal(await runtime.locator("mark").textContent(), "1 OR 1=1");
  assert.match(await page.locator(".facts").first().innerText(), /Environment\s+production/);
});

test("triage: mute with a reason and an expiry, assign, comment, and see the history", async (t) => {
  const page = await newPage(t);
  await logIn(page, "mia", "/?severity=critical");
  await Promise.all([page.waitForNavigation(), page.click("text=SQL injection in the search endpoint")]);
  const detailUrl = page.url();

  // Muting asks for a reason (the field is required once "muted" is chosen).
  await page.selectOption("select[name=status]", "muted");
  assert.equal(await page.locator("textarea[name=reason]").evaluate((e) => e.required), true);
  assert.equal(await page.locator("label.until").isVisible(), true);
  await page.fill("textarea[name=reason]", "Only reachable from the admin network; fix planned in Q1");
  const nextYear = new Date().getUTCFullYear() + 1;
  await page.fill("input[name=until]", `${nextYear}-03-31`);
  await Promise.all([page.waitForNavigation(), page.click("form.status-form button")]);
  assert.equal(page.url(), detailUrl, "back on the page after the change");
  assert.equal(await page.locator("[data-current-status]").getAttribute("data-current-status"), "muted");
  assert.match(await page.locator(".status-reason").textContent(), /admin network/);
  assert.match(await page.locator("main").innerText(), new RegExp(`Muted until\\s+\\S*${nextYear}-03-31`));

  await page.selectOption("select[name=assignee]", "mia");
  await Promise.all([page.waitForNavigation(), page.click("form.assign button")]);
  assert.equal(await page.locator("dd.assignee").textContent(), "mia");

  await page.fill("form.comment textarea", "Ticket SEC-42 tracks the fix.");
  await Promise.all([page.waitForNavigation(), page.click("form.comment button")]);
  assert.match(await page.locator(".comment .text").last().textContent(), /SEC-42/);

  const history = await page.locator("ol.history li").allInnerTexts();
  assert.equal(history.length, 4, history.join("\n"));
  assert.match(history[1], /mia Status open → muted[\s\S]*admin network/);
  assert.match(history[2], /mia Assigned to mia/);
  assert.match(history[3], /mia Commented/);
  await shot(page, "detail-triaged");

  // The API sees the same.
  const id = detailUrl.split("/").pop();
  const viaApi = await api("GET", `/api/v1/vulnerabilities/${id}`, { key: keys.admin });
  assert.equal(viaApi.json.status, "muted");
  assert.equal(viaApi.json.assignee, "mia");
  assert.equal(viaApi.json.mute_until, `${nextYear}-03-31T00:00:00Z`);

  // And the list filters by the new status and assignee.
  await page.goto(`${base}/?status=muted&assignee=mia`);
  assert.deepEqual(await rowTitles(page), ["SQL injection in the search endpoint"]);

  // A refused change is explained on the page: a mute date in the past.
  await page.goto(detailUrl);
  await page.selectOption("select[name=status]", "muted");
  await page.fill("textarea[name=reason]", "again");
  await page.fill("input[name=until]", "2001-01-01");
  const [refused] = await Promise.all([page.waitForNavigation(), page.click("form.status-form button")]);
  assert.equal(refused.status(), 422);
  assert.match(await page.locator(".problem").textContent(), /must be in the future/);
});

test("forms need the session's CSRF token and the triage permission", async (t) => {
  const page = await newPage(t);
  await logIn(page, "vic");
  const id = (await api("GET", "/api/v1/vulnerabilities?severity=critical&kind=sast", { key: keys.admin })).json.items[0].id;
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const post = (path, form) => fetch(base + path, {
    method: "POST", redirect: "manual",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
  // No token, or a wrong one: refused before anything else.
  assert.equal((await post(`/vulnerabilities/${id}/comments`, { body: "hi" })).status, 403);
  assert.equal((await post(`/vulnerabilities/${id}/comments`, { body: "hi", csrf_token: "x" })).status, 403);
  // A viewer's own token, but no triage permission.
  await page.goto(`${base}/vulnerabilities/${id}`);
  const token = await page.locator("input[name=csrf_token]").first().inputValue();
  const denied = await post(`/vulnerabilities/${id}/comments`, { body: "hi", csrf_token: token });
  assert.equal(denied.status, 403);
  assert.match(await denied.text(), /triage/);
  const detail = await api("GET", `/api/v1/vulnerabilities/${id}`, { key: keys.admin });
  assert.ok(detail.json.comments.every((c) => c.body !== "hi"));
});
