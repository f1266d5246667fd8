const { Client } = require("pg");
const nodemailer = require("nodemailer");

const db = new Client({
  host: "db.internal",
  user: "app",
  // ruleid: javascript.secrets.hardcoded-password-property
  password: "S3cr3t-Passw0rd!",
});

const transport = nodemailer.createTransport({
  host: "smtp.example.com",
  // ruleid: javascript.secrets.hardcoded-password-property
  auth: { user: "mailer", pass: "mailer-pass-2024" },
});

const stripe = {
  // ruleid: javascript.secrets.hardcoded-password-property
  "api_key": "sk_live_51Habcdefghijkl",
};

const dbFromEnv = new Client({
  user: "app",
  // ok: javascript.secrets.hardcoded-password-property
  password: process.env.DB_PASSWORD,
});

const form = {
  // ok: javascript.secrets.hardcoded-password-property
  password: "",
  // ok: javascript.secrets.hardcoded-password-property
  secret: "changeme",
};

const labels = {
  // ok: javascript.secrets.hardcoded-password-property
  password: "Enter your password",
  // ok: javascript.secrets.hardcoded-password-property
  passwordHint: "At-least-12-characters",
};

module.exports = { db, transport, stripe, dbFromEnv, form, labels };
