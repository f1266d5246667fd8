import * as crypto from "crypto";

function fingerprint(data: string) {
  // ruleid: pattern-either-weak-hash
  const md5 = crypto.createHash("md5").update(data).digest("hex");
  // ruleid: pattern-either-weak-hash
  const sha1 = crypto.createHash('sha1').update(data).digest("hex");
  // ok: pattern-either-weak-hash
  const sha256 = crypto.createHash("sha256").update(data).digest("hex");
  // ok: pattern-either-weak-hash
  const mac = crypto.createHmac("md5", data).digest("hex");
  return [md5, sha1, sha256, mac];
}

function show(panel: HTMLElement, message: string) {
  // ruleid: pattern-either-html-sink
  panel.innerHTML = message;
  // ruleid: pattern-either-html-sink
  panel.insertAdjacentHTML("beforeend", message);
  // ok: pattern-either-html-sink
  panel.insertAdjacentHTML("beforeend", "<hr>");
  // ok: pattern-either-html-sink
  panel.textContent = message;
  // ok: pattern-either-html-sink
  panel.insertAdjacentText("beforeend", message);
}

export { fingerprint, show };
