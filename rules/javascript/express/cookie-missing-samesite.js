const express = require("express");

const app = express();

app.post("/login", (req, res) => {
  // ruleid: javascript.express.cookie-missing-samesite
  res.cookie("session", req.body.sessionId, { secure: true, httpOnly: true });
  res.sendStatus(204);
});

app.post("/embed", (req, res) => {
  // ruleid: javascript.express.cookie-missing-samesite
  res.cookie("session", req.body.sessionId, { secure: true, httpOnly: true, sameSite: "none" });
  res.sendStatus(204);
});

app.post("/login2", (req, res) => {
  // ok: javascript.express.cookie-missing-samesite
  res.cookie("session", req.body.sessionId, { secure: true, httpOnly: true, sameSite: "lax" });
  res.sendStatus(204);
});

app.post("/login3", (req, res) => {
  // ok: javascript.express.cookie-missing-samesite
  res.cookie("session", req.body.sessionId, { sameSite: "strict", secure: true });
  res.sendStatus(204);
});
