import type { Knex } from "knex";

interface Row {
  name: string;
  expr: string;
  list: string;
  size: string;
  value: string;
}

interface Config {
  hooks?: { onValue?: (value: unknown) => void };
  defaults?: { value?: number };
}

class Calculator {
  #history: unknown[] = [];

  static create(): Calculator {
    return new Calculator();
  }

  run(expression: string): unknown {
    // ruleid: language-syntax-eval
    const result: unknown = eval(expression);
    this.#history.push(result);
    return result;
  }

  compile(body: string): (x: number) => number {
    // ruleid: language-syntax-method-new-function
    return new Function("x", body) as (x: number) => number;
  }

  get last(): unknown {
    // ok: language-syntax-eval
    return this.#history.at(-1);
  }
}

// ok: language-syntax-method-new-function
const compileOutside = (body: string) => new Function("x", body);

// ruleid: language-syntax-eval
const evaluate = (source: string): unknown => eval(source);

// ok: language-syntax-eval
const measure = (source: string): number => source.length;

function describe(row: Row, items: number[], config?: Config) {
  // ruleid: language-syntax-eval
  const line = `${row.name}: ${eval(row.expr)}`;
  // ok: language-syntax-eval
  const label = `${row.name} evaluated`;
  // ruleid: language-syntax-eval
  const merged: number[] = [...items, ...eval(row.list)];
  // ruleid: language-syntax-eval
  const { width = 10, height }: { width?: number; height: number } = eval(row.size);
  // ruleid: language-syntax-eval
  config?.hooks?.onValue?.(eval(row.value));
  // ok: language-syntax-eval
  const value = config?.defaults?.value ?? 0;
  return { line, label, merged, width, height, value };
}

async function report(db: Knex, id: string, options: { stream?: AsyncIterable<string> } = {}) {
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

export { Calculator, compileOutside, evaluate, measure, describe, report };
