function connect() {
  // ruleid: javascript.browser.insecure-websocket-url
  return new WebSocket("ws://realtime.example.com/feed");
}

function connectRoom(room) {
  // ruleid: javascript.browser.insecure-websocket-url
  return new WebSocket("ws://chat.example.com/rooms/" + room, ["chat"]);
}

function connectSecure() {
  // ok: javascript.browser.insecure-websocket-url
  return new WebSocket("wss://realtime.example.com/feed");
}

function connectLocal() {
  // ok: javascript.browser.insecure-websocket-url
  return new WebSocket("ws://localhost:8080/dev");
}

function connectSameHost() {
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  // ok: javascript.browser.insecure-websocket-url
  return new WebSocket(scheme + location.host + "/feed");
}
