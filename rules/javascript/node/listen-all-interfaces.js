const express = require("express");
const http = require("http");

const app = express();
const admin = http.createServer();

// ruleid: javascript.node.listen-all-interfaces
app.listen(3000, "0.0.0.0", () => console.log("listening"));

// ruleid: javascript.node.listen-all-interfaces
admin.listen({ port: 9229, host: "0.0.0.0" });

// ok: javascript.node.listen-all-interfaces
app.listen(3000, "127.0.0.1");

// ok: javascript.node.listen-all-interfaces
admin.listen({ port: 9229, host: process.env.HOST });

// ok: javascript.node.listen-all-interfaces
emitter.on("0.0.0.0", () => {});
