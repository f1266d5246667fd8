function showQuery() {
  // ruleid: javascript.browser.document-write
  document.write("<p>You searched for " + location.hash.slice(1) + "</p>");
}

function showName(name) {
  // ruleid: javascript.browser.document-write
  document.writeln(`<b>${name}</b>`);
}

function header() {
  // ok: javascript.browser.document-write
  document.write("<h1>Welcome</h1>");
}

function showNameSafely(name) {
  const p = document.createElement("p");
  // ok: javascript.browser.document-write
  p.textContent = name;
  document.body.append(p);
}

function log(stream, text) {
  // ok: javascript.browser.document-write
  stream.write(text);
}
