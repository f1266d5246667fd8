import type { Database, Request } from "./types";

function search(db: Database, req: Request, body: Record<string, string>, limit: number) {
  // ruleid: deep-expression-body-in-query
  db.query("SELECT * FROM items WHERE id = " + req.body.id);
  // ruleid: deep-expression-body-in-query
  db.query(`SELECT * FROM items WHERE name = '${req.body.name}'`);
  // ruleid: deep-expression-body-in-query
  db.query(req.body);
  // ruleid: deep-expression-body-in-query
  db.query(
    "SELECT * FROM items LIMIT " +
      Math.min(parseInt(req.body.limit, 10), limit)
  );
  // ok: deep-expression-body-in-query
  db.query("SELECT * FROM items");
  // ok: deep-expression-body-in-query
  db.query("SELECT * FROM items WHERE id = " + body.id);
  // ok: deep-expression-body-in-query
  db.query("SELECT * FROM items WHERE id = " + req.query.id);
}

function calculator(expression: string) {
  // ruleid: deep-expression-prompt-in-eval
  const first = eval(prompt());
  // ruleid: deep-expression-prompt-in-eval
  const second = eval("2 * " + prompt().trim());
  // ok: deep-expression-prompt-in-eval
  const third = eval(expression);
  // ok: deep-expression-prompt-in-eval
  const fourth = eval(prompt);
  return [first, second, third, fourth];
}

export { search, calculator };
