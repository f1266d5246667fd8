function compileFormula(formula) {
  // ruleid: javascript.lang.function-constructor-injection
  return new Function("x", "y", "return " + formula);
}

function compileHandler(source) {
  // ruleid: javascript.lang.function-constructor-injection
  const handler = Function(source);
  return handler;
}

function getGlobal() {
  // ok: javascript.lang.function-constructor-injection
  return new Function("return this")();
}

function adder() {
  // ok: javascript.lang.function-constructor-injection
  return new Function("a", "b", "return a + b");
}

function wrap(fn) {
  // ok: javascript.lang.function-constructor-injection
  return Function.prototype.bind.call(fn, null);
}
