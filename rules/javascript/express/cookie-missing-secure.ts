import express, { Request, Response } from "express";

const app = express();

app.post("/login", (req: Request, res: Response) => {
  // ruleid: javascript.express.cookie-missing-secure
  res.cookie("session", req.body.sessionId, { httpOnly: true, sameSite: "lax" });
  res.sendStatus(204);
});

app.get("/prefs", (req: Request, res: Response) => {
  // ruleid: javascript.express.cookie-missing-secure
  res.cookie("theme", "dark");
  // ruleid: javascript.express.cookie-missing-secure
  res.cookie("lang", "en", { secure: false, httpOnly: true });
  res.end();
});

app.post("/login2", (req: Request, res: Response) => {
  // ok: javascript.express.cookie-missing-secure
  res.cookie("session", req.body.sessionId, { secure: true, httpOnly: true, sameSite: "strict" });
  res.sendStatus(204);
});

app.post("/login3", (req: Request, res: Response) => {
  // ok: javascript.express.cookie-missing-secure
  res.cookie("session", req.body.sessionId, { secure: process.env.NODE_ENV === "production", httpOnly: true });
  res.sendStatus(204);
});

app.get("/clear", (req: Request, res: Response) => {
  // ok: javascript.express.cookie-missing-secure
  res.clearCookie("session");
  res.end();
});
