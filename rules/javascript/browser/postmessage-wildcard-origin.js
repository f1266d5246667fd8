function sendToken(token) {
  // ruleid: javascript.browser.postmessage-wildcard-origin
  window.parent.postMessage({ type: "auth", token }, "*");
}

function notifyOpener(data) {
  // ruleid: javascript.browser.postmessage-wildcard-origin
  window.opener.postMessage(data, { targetOrigin: "*" });
}

function sendTokenSafely(token) {
  // ok: javascript.browser.postmessage-wildcard-origin
  window.parent.postMessage({ type: "auth", token }, "https://app.example.com");
}

function toWorker(worker, job) {
  // ok: javascript.browser.postmessage-wildcard-origin
  worker.postMessage(job);
}

function sameOrigin(frame, data) {
  // ok: javascript.browser.postmessage-wildcard-origin
  frame.contentWindow.postMessage(data, window.location.origin);
}
