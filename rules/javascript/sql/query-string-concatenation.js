const mysql = require("mysql2");
const { Pool } = require("pg");

const connection = mysql.createConnection({ host: "localhost", user: "app" });
const pool = new Pool();

function findUser(req, res) {
  // ruleid: javascript.sql.query-string-concatenation
  connection.query("SELECT * FROM users WHERE id = " + req.params.id, (err, rows) => res.json(rows));
}

async function search(name) {
  // ruleid: javascript.sql.query-string-concatenation
  const result = await pool.query("SELECT * FROM products WHERE name LIKE '%" + name + "%' ORDER BY name");
  return result.rows;
}

async function remove(knex, table, id) {
  // ruleid: javascript.sql.query-string-concatenation
  return knex.raw("DELETE FROM " + table + " WHERE id = ?", [id]);
}

function findUserSafely(req, res) {
  // ok: javascript.sql.query-string-concatenation
  connection.query("SELECT * FROM users WHERE id = ?", [req.params.id], (err, rows) => res.json(rows));
}

async function searchSafely(name) {
  // ok: javascript.sql.query-string-concatenation
  const result = await pool.query("SELECT * FROM products WHERE name LIKE $1", ["%" + name + "%"]);
  return result.rows;
}

async function longQuery() {
  // ok: javascript.sql.query-string-concatenation
  return pool.query("SELECT id, name " + "FROM products");
}
