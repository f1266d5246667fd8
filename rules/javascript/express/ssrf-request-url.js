const express = require("express");
const axios = require("axios");
const https = require("https");

const app = express();

app.get("/preview", async (req, res) => {
  // ruleid: javascript.express.ssrf-request-url
  const page = await fetch(req.query.url);
  res.send(await page.text());
});

app.post("/webhook-test", async (req, res) => {
  // ruleid: javascript.express.ssrf-request-url
  const answer = await axios.post(req.body.callbackUrl, { ping: true });
  res.json(answer.data);
});

app.get("/proxy", (req, res) => {
  // ruleid: javascript.express.ssrf-request-url
  https.get("https://" + req.query.host + "/status", (r) => r.pipe(res));
});

app.get("/user/:id", async (req, res) => {
  // ok: javascript.express.ssrf-request-url
  const user = await axios.get("https://api.example.com/users/" + req.params.id);
  res.json(user.data);
});

app.get("/health", async (req, res) => {
  // ok: javascript.express.ssrf-request-url
  const r = await fetch("https://status.example.com/health");
  res.send(await r.text());
});
