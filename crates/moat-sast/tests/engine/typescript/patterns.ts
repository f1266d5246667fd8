import * as fs from "fs";
import * as http from "http";
import * as https from "https";

// ruleid: patterns-https-agent-insecure
const insecure = new https.Agent({ rejectUnauthorized: false });

// ruleid: patterns-https-agent-insecure
const keepAlive = new https.Agent({ keepAlive: true, rejectUnauthorized: false });

// ok: patterns-https-agent-insecure
const strict = new https.Agent({ rejectUnauthorized: true });

// ok: patterns-https-agent-insecure
const plain = new http.Agent({ rejectUnauthorized: false });

// ok: patterns-https-agent-insecure
const defaults = new https.Agent();

function backup(reportPath: string, backupPath: string) {
  // ruleid: patterns-copy-onto-itself
  fs.copyFileSync(reportPath, reportPath);
  // ok: patterns-copy-onto-itself
  fs.copyFileSync(reportPath, backupPath);
  // ok: patterns-copy-onto-itself
  fs.renameSync(reportPath, reportPath);
}

export { insecure, keepAlive, strict, plain, defaults, backup };
