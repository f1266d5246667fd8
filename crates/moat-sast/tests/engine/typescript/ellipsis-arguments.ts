import * as crypto from "crypto";
import * as vm from "vm";
import type { Application, Middleware, Upload } from "./types";

function run(code: string, sandbox: Record<string, unknown>) {
  // ruleid: ellipsis-arguments-any
  const first = vm.runInNewContext(code);
  // ruleid: ellipsis-arguments-any
  const second = vm.runInNewContext(code, sandbox, { timeout: 100 });
  // ok: ellipsis-arguments-any
  const script = new vm.Script(code);
  return [first, second, script];
}

function mount(app: Application, adminRouter: Middleware, auth: Middleware, prefix: string) {
  // ruleid: ellipsis-arguments-first
  app.use("/admin", adminRouter);
  // ruleid: ellipsis-arguments-first
  app.use("/admin", auth, adminRouter);
  // ok: ellipsis-arguments-first
  app.use("/login", auth);
  // ok: ellipsis-arguments-first
  app.use(prefix + "/admin", adminRouter);
}

function derive(password: string, salt: string) {
  // ruleid: ellipsis-arguments-last
  const legacy = crypto.pbkdf2Sync(password, salt, 1000, 64, "md5");
  // ok: ellipsis-arguments-last
  const modern = crypto.pbkdf2Sync(password, salt, 600000, 64, "sha512");
  // ok: ellipsis-arguments-last
  const swapped = crypto.pbkdf2Sync("md5", password, salt, 1000, 64);
  return [legacy, modern, swapped];
}

function routes(app: Application, upload: Upload, auth: Middleware, handler: Middleware) {
  // ruleid: ellipsis-arguments-middle
  app.post("/files", upload.any(), handler);
  // ruleid: ellipsis-arguments-middle
  app.post("/files", auth, upload.any(), handler);
  // ruleid: ellipsis-arguments-middle
  app.post(upload.any());
  // ok: ellipsis-arguments-middle
  app.post("/avatar", upload.single("avatar"), handler);
  // ok: ellipsis-arguments-middle
  app.get("/files", upload.any(), handler);
}

export { run, mount, derive, routes };
