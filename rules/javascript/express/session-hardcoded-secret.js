const express = require("express");
const session = require("express-session");
const cookieSession = require("cookie-session");
const cookieParser = require("cookie-parser");

const app = express();

// ruleid: javascript.express.session-hardcoded-secret
app.use(session({ secret: "keyboard cat", resave: false, saveUninitialized: false }));

// ruleid: javascript.express.session-hardcoded-secret
app.use(cookieSession({ name: "sess", keys: ["k3y-one", "k3y-two"] }));

// ruleid: javascript.express.session-hardcoded-secret
app.use(cookieParser("cookie-signing-secret"));

// ok: javascript.express.session-hardcoded-secret
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));

// ok: javascript.express.session-hardcoded-secret
app.use(cookieSession({ name: "sess", keys: [process.env.KEY_1, process.env.KEY_2] }));

// ok: javascript.express.session-hardcoded-secret
app.use(cookieParser(process.env.COOKIE_SECRET));
