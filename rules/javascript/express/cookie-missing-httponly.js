const express = require("express");

const app = express();

app.post("/login", (req, res) => {
  // ruleid: javascript.express.cookie-missing-httponly
  res.cookie("session", req.body.sessionId, { secure: true, sameSite: "lax" });
  // ruleid: javascript.express.cookie-missing-httponly
  res.cookie("remember", req.body.token, { secure: true, httpOnly: false });
  res.sendStatus(204);
});

app.get("/track", (req, res) => {
  // ruleid: javascript.express.cookie-missing-httponly
  res.cookie("visitor", req.query.id);
  res.end();
});

app.post("/login2", (req, res) => {
  // ok: javascript.express.cookie-missing-httponly
  res.cookie("session", req.body.sessionId, { secure: true, httpOnly: true, sameSite: "lax" });
  res.sendStatus(204);
});

app.get("/jquery", () => {
  // ok: javascript.express.cookie-missing-httponly
  $.cookie("visitor", "1");
});

app.get("/options", (req, res) => {
  const options = buildCookieOptions();
  // ok: javascript.express.cookie-missing-httponly
  res.cookie("session", req.body.sessionId, options);
  res.end();
});
