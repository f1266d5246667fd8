import { Pool } from "pg";
import mysql from "mysql2/promise";

const pool = new Pool();

export async function orders(userId: string) {
  // ruleid: javascript.sql.query-template-literal
  const result = await pool.query(`SELECT * FROM orders WHERE user_id = '${userId}'`);
  return result.rows;
}

export async function sortBy(column: string) {
  const conn = await mysql.createConnection({ host: "localhost" });
  // ruleid: javascript.sql.query-template-literal
  const [rows] = await conn.execute(`SELECT * FROM products ORDER BY ${column}`);
  return rows;
}

export async function ordersSafely(userId: string) {
  // ok: javascript.sql.query-template-literal
  const result = await pool.query("SELECT * FROM orders WHERE user_id = $1", [userId]);
  return result.rows;
}

export async function constantTemplate() {
  // ok: javascript.sql.query-template-literal
  const result = await pool.query(`SELECT count(*) FROM orders`);
  return result.rows;
}

export function logLine(logger: { info(msg: string): void }, userId: string) {
  // ok: javascript.sql.query-template-literal
  logger.info(`loaded orders for ${userId}`);
}
