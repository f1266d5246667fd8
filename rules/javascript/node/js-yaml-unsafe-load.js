const yaml = require("js-yaml");
const fs = require("fs");

function readConfig(path) {
  // ruleid: javascript.node.js-yaml-unsafe-load
  return yaml.load(fs.readFileSync(path, "utf8"));
}

function readDocs(req) {
  // ruleid: javascript.node.js-yaml-unsafe-load
  return yaml.loadAll(req.body, null, { schema: yaml.DEFAULT_FULL_SCHEMA });
}

function readConfigSafely(path) {
  // ok: javascript.node.js-yaml-unsafe-load
  return yaml.safeLoad(fs.readFileSync(path, "utf8"));
}

function readJsonSchema(text) {
  // ok: javascript.node.js-yaml-unsafe-load
  return yaml.load(text, { schema: yaml.JSON_SCHEMA });
}

function dump(obj) {
  // ok: javascript.node.js-yaml-unsafe-load
  return yaml.dump(obj);
}
