const fs = require("fs");
const path = require("path");
const express = require("express");

const app = express();
const UPLOADS = path.join(__dirname, "uploads");

app.get("/files/:name", (req, res) => {
  // ruleid: javascript.node.path-traversal-fs-request
  fs.readFile(path.join(UPLOADS, req.params.name), (err, data) => res.send(data));
});

app.get("/download", (req, res) => {
  // ruleid: javascript.node.path-traversal-fs-request
  fs.createReadStream(UPLOADS + "/" + req.query.file).pipe(res);
});

app.delete("/files/:name", (req, res) => {
  // ruleid: javascript.node.path-traversal-fs-request
  fs.unlinkSync(`${UPLOADS}/${req.params.name}`);
  res.sendStatus(204);
});

app.get("/safe/:name", (req, res) => {
  // ok: javascript.node.path-traversal-fs-request
  fs.readFile(path.join(UPLOADS, path.basename(req.params.name)), (err, data) => res.send(data));
});

app.get("/logo", (req, res) => {
  // ok: javascript.node.path-traversal-fs-request
  fs.readFile(path.join(__dirname, "static", "logo.png"), (err, data) => res.send(data));
});

app.get("/index", (req, res) => {
  // ok: javascript.node.path-traversal-fs-request
  fs.readFile(path.join(UPLOADS, "index.json"), "utf8", (err, text) => res.json({ q: req.query.q, text }));
});
