// ruleid: javascript.browser.message-listener-without-origin-check
window.addEventListener("message", (event) => {
  document.getElementById("out").textContent = event.data.text;
  runCommand(event.data.command);
});

// ruleid: javascript.browser.message-listener-without-origin-check
window.onmessage = function (e) {
  localStorage.setItem("settings", JSON.stringify(e.data));
};

// ok: javascript.browser.message-listener-without-origin-check
window.addEventListener("message", (event) => {
  if (event.origin !== "https://app.example.com") {
    return;
  }
  runCommand(event.data.command);
});

// ok: javascript.browser.message-listener-without-origin-check
window.addEventListener("message", function ({ origin, data }) {
  if (origin === window.location.origin) runCommand(data.command);
});

// ok: javascript.browser.message-listener-without-origin-check
window.addEventListener("click", (event) => {
  runCommand(event.target.dataset.command);
});
