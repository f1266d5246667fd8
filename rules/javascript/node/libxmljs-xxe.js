const libxmljs = require("libxmljs");
const { parseXmlString } = require("libxmljs2");

function parseInvoice(req) {
  // ruleid: javascript.node.libxmljs-xxe
  return libxmljs.parseXml(req.body, { noent: true, noblanks: true });
}

function parseFeed(xml) {
  // ruleid: javascript.node.libxmljs-xxe
  return parseXmlString(xml, { noent: true });
}

function parseInvoiceSafely(req) {
  // ok: javascript.node.libxmljs-xxe
  return libxmljs.parseXml(req.body, { noblanks: true });
}

function parseExplicitlySafe(xml) {
  // ok: javascript.node.libxmljs-xxe
  return parseXmlString(xml, { noent: false, nonet: true });
}
