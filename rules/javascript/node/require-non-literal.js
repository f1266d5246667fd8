const path = require("path");

function loadPlugin(req) {
  // ruleid: javascript.node.require-non-literal
  return require("./plugins/" + req.query.name);
}

function loadLocale(lang) {
  // ruleid: javascript.node.require-non-literal
  return require(path.join(__dirname, "locales", lang));
}

// ok: javascript.node.require-non-literal
const express = require("express");

// ok: javascript.node.require-non-literal
const handlers = { csv: require("./csv"), json: require("./json") };

function resolveOnly(name) {
  // ok: javascript.node.require-non-literal
  return require.resolve("./plugins/index");
}

module.exports = { loadPlugin, loadLocale, express, handlers, resolveOnly };
