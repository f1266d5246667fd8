function calculate(req, res) {
  // ruleid: javascript.lang.eval-injection
  const result = eval(req.query.expression);
  res.send(String(result));
}

function runSnippet(snippet) {
  // ruleid: javascript.lang.eval-injection
  return window.eval("(" + snippet + ")");
}

function constant() {
  // ok: javascript.lang.eval-injection
  return eval("1 + 2");
}

function parse(text) {
  // ok: javascript.lang.eval-injection
  return JSON.parse(text);
}

function evaluateRule(engine, rule) {
  // ok: javascript.lang.eval-injection
  return engine.eval(rule);
}
