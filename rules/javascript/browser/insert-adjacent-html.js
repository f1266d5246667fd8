function addMessage(list, msg) {
  // ruleid: javascript.browser.insert-adjacent-html
  list.insertAdjacentHTML("beforeend", "<li>" + msg.text + "</li>");
}

function addBanner(text) {
  // ruleid: javascript.browser.insert-adjacent-html
  document.body.insertAdjacentHTML("afterbegin", `<div class="banner">${text}</div>`);
}

function addDivider(list) {
  // ok: javascript.browser.insert-adjacent-html
  list.insertAdjacentHTML("beforeend", "<hr>");
}

function addMessageSafely(list, msg) {
  // ok: javascript.browser.insert-adjacent-html
  list.insertAdjacentText("beforeend", msg.text);
}

function addSanitized(list, html) {
  // ok: javascript.browser.insert-adjacent-html
  list.insertAdjacentHTML("beforeend", DOMPurify.sanitize(html));
}
