function greetLater(name) {
  // ruleid: javascript.lang.string-timer-injection
  setTimeout("showGreeting('" + name + "')", 1000);
}

function poll(id) {
  // ruleid: javascript.lang.string-timer-injection
  window.setInterval(`refresh(${id})`, 5000);
}

function greetSafely(name) {
  // ok: javascript.lang.string-timer-injection
  setTimeout(() => showGreeting(name), 1000);
}

function pollSafely(id) {
  // ok: javascript.lang.string-timer-injection
  window.setInterval(refresh, 5000, id);
}

function log(logger, user) {
  // ok: javascript.lang.string-timer-injection
  logger.info("user " + user, 1);
}
