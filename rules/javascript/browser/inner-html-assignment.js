function renderComment(comment) {
  const el = document.getElementById("comment");
  // ruleid: javascript.browser.inner-html-assignment
  el.innerHTML = "<p>" + comment.body + "</p>";
}

function renderName() {
  const name = new URLSearchParams(location.search).get("name");
  // ruleid: javascript.browser.inner-html-assignment
  document.querySelector("#greeting").outerHTML = `<h1>Hello ${name}</h1>`;
}

function appendRow(table, row) {
  // ruleid: javascript.browser.inner-html-assignment
  table.innerHTML += "<tr><td>" + row.label + "</td></tr>";
}

function clear(el) {
  // ok: javascript.browser.inner-html-assignment
  el.innerHTML = "";
}

function renderCommentSafely(el, comment) {
  // ok: javascript.browser.inner-html-assignment
  el.textContent = comment.body;
}

function renderSanitized(el, html) {
  // ok: javascript.browser.inner-html-assignment
  el.innerHTML = DOMPurify.sanitize(html);
}
