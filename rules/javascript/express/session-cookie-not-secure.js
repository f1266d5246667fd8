const express = require("express");
const session = require("express-session");

const app = express();

// ruleid: javascript.express.session-cookie-not-secure
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));

// ruleid: javascript.express.session-cookie-not-secure
app.use(session({ secret: process.env.SESSION_SECRET, cookie: { httpOnly: true, maxAge: 3600000 } }));

// ruleid: javascript.express.session-cookie-not-secure
app.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: false } }));

// ok: javascript.express.session-cookie-not-secure
app.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: true, httpOnly: true } }));

// ok: javascript.express.session-cookie-not-secure
app.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: "auto" } }));

const cookieOptions = { secure: true };
// ok: javascript.express.session-cookie-not-secure
app.use(session({ secret: process.env.SESSION_SECRET, cookie: cookieOptions }));

// ok: javascript.express.session-cookie-not-secure
app.use(rateLimit({ windowMs: 60000 }));
