const express = require("express");

const app = express();

app.get("/login/done", (req, res) => {
  // ruleid: javascript.express.open-redirect
  res.redirect(req.query.next);
});

app.get("/out", (req, res) => {
  // ruleid: javascript.express.open-redirect
  res.redirect(302, req.query.url);
});

app.post("/continue", (req, res) => {
  // ruleid: javascript.express.open-redirect
  res.location(req.body.returnTo).sendStatus(303);
});

app.get("/users/:id", (req, res) => {
  // ok: javascript.express.open-redirect
  res.redirect("/profiles/" + req.params.id);
});

app.get("/home", (req, res) => {
  // ok: javascript.express.open-redirect
  res.redirect("/");
});

app.get("/docs/:page", (req, res) => {
  // ok: javascript.express.open-redirect
  res.redirect(301, "https://docs.example.com/" + req.params.page + "/index.html");
});
