function afterLogin() {
  const params = new URLSearchParams(window.location.search);
  // ruleid: javascript.browser.open-redirect-from-url
  window.location.href = params.get("next");
}

function fromHash() {
  // ruleid: javascript.browser.open-redirect-from-url
  location.assign(decodeURIComponent(location.hash.slice(1)));
}

function back() {
  // ruleid: javascript.browser.open-redirect-from-url
  window.open(document.referrer, "_self");
}

function afterLoginSafely() {
  const params = new URLSearchParams(window.location.search);
  const target = new URL(params.get("next") || "/", location.origin);
  if (target.origin === location.origin) {
    // ok: javascript.browser.open-redirect-from-url
    location.assign(target.href);
  }
}

function home() {
  // ok: javascript.browser.open-redirect-from-url
  window.location.href = "/";
}

function openHelp() {
  // ok: javascript.browser.open-redirect-from-url
  window.open("https://help.example.com/" + encodeURIComponent(location.pathname), "_blank");
}
