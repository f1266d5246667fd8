import * as fs from "fs";

function writeReport(file: string, text: string) {
  // ruleid: ellipsis-statements-manual-close
  const fd = fs.openSync(file, "w");
  fs.writeSync(fd, text);
  fs.closeSync(fd);
}

function readMaybe(file: string, keepOpen: boolean) {
  // ruleid: ellipsis-statements-manual-close
  const fd = fs.openSync(file, "r");
  const buffer = Buffer.alloc(64);
  fs.readSync(fd, buffer);
  if (!keepOpen) {
    fs.closeSync(fd);
  }
  return buffer;
}

function readAll(files: string[]) {
  for (const file of files) {
    // ruleid: ellipsis-statements-manual-close
    const handle = fs.openSync(file, "r");
    while (fs.readSync(handle, Buffer.alloc(1)) > 0) {
      console.log(file);
    }
    fs.closeSync(handle);
  }
}

function readGuarded(file: string): string {
  // ruleid: ellipsis-statements-manual-close
  const fd: number = fs.openSync(file, "r");
  try {
    return fs.readFileSync(fd, "utf8");
  } finally {
    fs.closeSync(fd);
  }
}

function closeOther(file: string, other: number) {
  // ok: ellipsis-statements-manual-close
  const fd = fs.openSync(file, "r");
  fs.closeSync(other);
  return fd;
}

function closeBeforeOpen(file: string, previous: number) {
  fs.closeSync(previous);
  // ok: ellipsis-statements-manual-close
  const previousFd = fs.openSync(file, "r");
  return previousFd;
}

function banner(message: string) {
  const el = document.createElement("div");
  // ruleid: ellipsis-statements-html-then-attach
  el.innerHTML = message;
  el.className = "banner";
  document.body.appendChild(el);
}

function bannerElsewhere(message: string, container: HTMLElement) {
  const el = document.createElement("div");
  // ok: ellipsis-statements-html-then-attach
  el.innerHTML = message;
  document.body.appendChild(container);
}

function bannerText(message: string) {
  const el = document.createElement("div");
  // ok: ellipsis-statements-html-then-attach
  el.textContent = message;
  document.body.appendChild(el);
}

export { readGuarded, writeReport, readMaybe, readAll, closeOther, closeBeforeOpen, banner, bannerElsewhere, bannerText };
