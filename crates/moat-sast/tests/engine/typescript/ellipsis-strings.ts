import * as mysql from "mysql";
import type { Database } from "./types";

function connect(host: string, password: string) {
  // ruleid: ellipsis-strings-literal-password
  const first = mysql.createConnection({ host, user: "app", password: "s3cret" });
  // ruleid: ellipsis-strings-literal-password
  const second = mysql.createConnection({ host: host, password: 'single-quoted' });
  // ruleid: ellipsis-strings-literal-password
  const third = mysql.createConnection({ password: "" });
  // ok: ellipsis-strings-literal-password
  const fourth = mysql.createConnection({ host, password: process.env.MYSQL_PASSWORD });
  // ok: ellipsis-strings-literal-password
  const fifth = mysql.createConnection({ host, password });
  // ok: ellipsis-strings-literal-password
  const sixth = mysql.createConnection({ host, password: null });
  return [first, second, third, fourth, fifth, sixth];
}

function ping(db: Database, sql: string, userId: number) {
  // ruleid: ellipsis-strings-static-query
  db.query("SELECT 1");
  // ruleid: ellipsis-strings-static-query
  db.query('SELECT version()');
  // ok: ellipsis-strings-static-query
  db.query(sql);
  // ok: ellipsis-strings-static-query
  db.query("SELECT * FROM users WHERE id = ?", [userId]);
  // ok: ellipsis-strings-static-query
  db.query(42);
}

export { connect, ping };
