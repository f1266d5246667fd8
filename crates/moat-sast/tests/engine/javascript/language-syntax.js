class Calculator {
  #history = [];

  static create() {
    return new Calculator();
  }

  run(expression) {
    // ruleid: language-syntax-eval
    const result = eval(expression);
    this.#history.push(result);
    return result;
  }

  compile(body) {
    // ruleid: language-syntax-method-new-function
    return new Function("x", body);
  }

  get last() {
    // ok: language-syntax-eval
    return this.#history.at(-1);
  }
}

// ok: language-syntax-method-new-function
const compileOutside = (body) => new Function("x", body);

// ruleid: language-syntax-eval
const evaluate = (source) => eval(source);

// ok: language-syntax-eval
const measure = (source) => source.length;

function describe(row, items, config) {
  // ruleid: language-syntax-eval
  const line = `${row.name}: ${eval(row.expr)}`;
  // ok: language-syntax-eval
  const label = `${row.name} evaluated`;
  // ruleid: language-syntax-eval
  const merged = [...items, ...eval(row.list)];
  // ruleid: language-syntax-eval
  const { width = 10, height } = eval(row.size);
  // ruleid: language-syntax-eval
  config?.hooks?.onValue?.(eval(row.value));
  // ok: language-syntax-eval
  const value = config?.defaults?.value ?? 0;
  return { line, label, merged, width, height, value };
}

async function report(db, id, options = {}) {
  // ruleid: language-syntax-await-raw-query
  const rows = await db.raw("SELECT * FROM reports WHERE id = " + id);
  // ok: language-syntax-await-raw-query
  const safe = await db.select("*").from("reports").where({ id });
  // ok: language-syntax-await-raw-query
  const pending = db.raw("SELECT 1");
  for await (const chunk of options.stream ?? []) {
    // ruleid: language-syntax-eval
    await eval(chunk);
  }
  return { rows, safe, pending, ...options };
}

module.exports = { Calculator, compileOutside, evaluate, measure, describe, report };
