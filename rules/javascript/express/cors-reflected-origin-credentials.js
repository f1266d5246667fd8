const express = require("express");
const cors = require("cors");

const app = express();

// ruleid: javascript.express.cors-reflected-origin-credentials
app.use(cors({ origin: true, credentials: true }));

// ruleid: javascript.express.cors-reflected-origin-credentials
app.use(cors({ credentials: true, origin: "*" }));

app.use((req, res, next) => {
  // ruleid: javascript.express.cors-reflected-origin-credentials
  res.setHeader("Access-Control-Allow-Origin", req.headers.origin);
  res.setHeader("Access-Control-Allow-Credentials", "true");
  next();
});

// ok: javascript.express.cors-reflected-origin-credentials
app.use(cors({ origin: ["https://app.example.com"], credentials: true }));

// ok: javascript.express.cors-reflected-origin-credentials
app.use(cors({ origin: true }));

app.use((req, res, next) => {
  const allowed = ["https://app.example.com"];
  if (allowed.includes(req.headers.origin)) {
    // ok: javascript.express.cors-reflected-origin-credentials
    res.setHeader("Access-Control-Allow-Origin", "https://app.example.com");
  }
  next();
});
