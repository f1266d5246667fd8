import express, { type Request, type Response, type NextFunction } from "express";
import type { Database } from "./types";

const app = express();

app.get("/calc", (req: Request, res: Response) => {
  const expression = req.query.q as string;
  // ruleid: pattern-inside-handler-eval
  res.send(String(eval(expression)));
});

app.post("/nested", (req: Request, res: Response): void => {
  function evaluate(value: string) {
    // ruleid: pattern-inside-handler-eval
    return eval(value);
  }
  res.send(String(evaluate(req.body.v)));
});

app.use((req: Request, res: Response, next: NextFunction) => {
  // ok: pattern-inside-handler-eval
  req.computed = eval(req.headers["x-expr"]);
  next();
});

function offlineCalc(expression: string) {
  // ok: pattern-inside-handler-eval
  return eval(expression);
}

function loadUsers(db: Database, userIds: number[]) {
  for (const userId of userIds) {
    // ruleid: pattern-inside-query-in-loop
    db.query("SELECT * FROM users WHERE id = ?", [userId]);
    if (userId < 0) {
      // ruleid: pattern-inside-query-in-loop
      db.query("DELETE FROM users WHERE id = ?", [userId]);
    }
  }
  // ok: pattern-inside-query-in-loop
  return db.query("SELECT count(*) FROM users");
}

function loadAll(db: Database) {
  // ok: pattern-inside-query-in-loop
  return db.query("SELECT * FROM users");
}

export { app, offlineCalc, loadUsers, loadAll };
