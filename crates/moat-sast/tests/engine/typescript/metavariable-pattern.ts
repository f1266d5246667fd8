import * as fs from "fs";
import * as path from "path";
import * as util from "util";
import * as axios from "axios";
import type { Database, Request, Response } from "./types";

function findUser(db: Database, userId: number, name: string) {
  // ruleid: metavariable-pattern-built-query
  db.query("SELECT * FROM users WHERE id = " + userId);
  // ruleid: metavariable-pattern-built-query
  db.query(util.format("SELECT * FROM users WHERE name = '%s'", name), callback);
  // ok: metavariable-pattern-built-query
  db.query("SELECT * FROM users WHERE id = ?", [userId]);
  // ok: metavariable-pattern-built-query
  db.query(name);
}

function readUpload(baseDir: string, filename: string) {
  // ruleid: metavariable-pattern-joined-path
  const data = fs.readFileSync(path.join(baseDir, filename));
  // ok: metavariable-pattern-joined-path
  const hosts = fs.readFileSync(path.join("/etc", "hosts"), "utf8");
  // ok: metavariable-pattern-joined-path
  const raw = fs.readFileSync(filename);
  return [data, hosts, raw];
}

async function proxy(req: Request, res: Response) {
  // ruleid: metavariable-pattern-request-url
  const upstream = await axios.get(req.query.url, { timeout: 5000 });
  // ok: metavariable-pattern-request-url
  const status = await axios.get("https://status.example.com");
  // ok: metavariable-pattern-request-url
  const fallback = await axios.get(req.headers.referer);
  res.json([upstream.data, status.data, fallback.data]);
}

function callback() {}

export { findUser, readUpload, proxy };
