const _ = require("lodash");

function search(req, items) {
  // ruleid: javascript.lang.regexp-from-non-literal
  const re = new RegExp(req.query.pattern, "i");
  return items.filter((item) => re.test(item));
}

function highlight(term, text) {
  // ruleid: javascript.lang.regexp-from-non-literal
  return text.replace(RegExp("(" + term + ")", "g"), "<mark>$1</mark>");
}

function isEmail(value) {
  // ok: javascript.lang.regexp-from-non-literal
  return new RegExp("^[^@\\s]+@[^@\\s]+$").test(value);
}

function searchEscaped(term, items) {
  // ok: javascript.lang.regexp-from-non-literal
  const re = new RegExp(_.escapeRegExp(term), "i");
  return items.filter((item) => re.test(item));
}

function contains(term, text) {
  // ok: javascript.lang.regexp-from-non-literal
  return text.includes(term);
}
