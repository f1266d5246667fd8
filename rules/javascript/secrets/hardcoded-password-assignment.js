// ruleid: javascript.secrets.hardcoded-password-assignment
const DB_PASSWORD = "pr0d-db-Passw0rd";

// ruleid: javascript.secrets.hardcoded-password-assignment
let stripeApiKey = 'sk_live_51Hqwertyuiop';

const config = {};
// ruleid: javascript.secrets.hardcoded-password-assignment
config.clientSecret = "0a1b2c3d4e5f6a7b8c9d";

// ok: javascript.secrets.hardcoded-password-assignment
const dbPassword = process.env.DB_PASSWORD;

// ok: javascript.secrets.hardcoded-password-assignment
const PASSWORD_FIELD_LABEL = "Password";

// ok: javascript.secrets.hardcoded-password-assignment
let adminPassword = "changeme";

// ok: javascript.secrets.hardcoded-password-assignment
const passwordPrompt = "Enter password:";

module.exports = { DB_PASSWORD, stripeApiKey, config, dbPassword, PASSWORD_FIELD_LABEL, adminPassword, passwordPrompt };
