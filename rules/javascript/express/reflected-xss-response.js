const express = require("express");
const escapeHtml = require("escape-html");

const app = express();

app.get("/search", (req, res) => {
  // ruleid: javascript.express.reflected-xss-response
  res.send("<h1>Results for " + req.query.q + "</h1>");
});

app.get("/hello/:name", (req, res) => {
  // ruleid: javascript.express.reflected-xss-response
  res.send(`<p>Hello ${req.params.name}</p>`);
});

app.get("/raw", (req, res) => {
  res.setHeader("Content-Type", "text/html");
  // ruleid: javascript.express.reflected-xss-response
  res.write(req.body.html);
  res.end();
});

app.get("/search-safe", (req, res) => {
  // ok: javascript.express.reflected-xss-response
  res.send("<h1>Results for " + escapeHtml(req.query.q) + "</h1>");
});

app.get("/api/search", (req, res) => {
  // ok: javascript.express.reflected-xss-response
  res.json({ query: req.query.q });
});

app.get("/static", (req, res) => {
  // ok: javascript.express.reflected-xss-response
  res.send("<h1>Hello</h1>");
});
