const express = require("express");
const cors = require("cors");

const app = express();

// ruleid: javascript.express.cors-wildcard-origin
app.use(cors({ origin: "*", methods: ["GET", "POST"] }));

app.use((req, res, next) => {
  // ruleid: javascript.express.cors-wildcard-origin
  res.setHeader("Access-Control-Allow-Origin", "*");
  next();
});

app.get("/api", (req, res) => {
  // ruleid: javascript.express.cors-wildcard-origin
  res.header("access-control-allow-origin", "*");
  res.json({});
});

// ok: javascript.express.cors-wildcard-origin
app.use(cors({ origin: ["https://app.example.com"] }));

app.use((req, res, next) => {
  // ok: javascript.express.cors-wildcard-origin
  res.setHeader("Access-Control-Allow-Origin", "https://app.example.com");
  // ok: javascript.express.cors-wildcard-origin
  res.setHeader("Access-Control-Allow-Headers", "*");
  next();
});
