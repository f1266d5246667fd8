const vm = require("vm");
const { runInNewContext } = require("vm");

function evaluate(req, res) {
  // ruleid: javascript.node.vm-code-injection
  const result = vm.runInThisContext(req.body.code);
  res.send(String(result));
}

function sandboxed(expr) {
  // ruleid: javascript.node.vm-code-injection
  return runInNewContext("result = " + expr, { result: null });
}

function compile(source) {
  // ruleid: javascript.node.vm-code-injection
  return new vm.Script(source, { filename: "user.js" });
}

function constant() {
  // ok: javascript.node.vm-code-injection
  return vm.runInNewContext("a + b", { a: 1, b: 2 });
}

function makeContext() {
  // ok: javascript.node.vm-code-injection
  return vm.createContext({ console });
}
