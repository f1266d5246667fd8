import express, { Request, Response } from "express";
import { User } from "./models";

const app = express();

app.post("/login", async (req: Request, res: Response) => {
  // ruleid: javascript.express.nosql-operator-injection
  const user = await User.findOne({ email: req.body.email, password: req.body.password });
  res.json({ found: Boolean(user) });
});

app.get("/orders", async (req: Request, res: Response) => {
  const orders = await Order.find({
    // ruleid: javascript.express.nosql-operator-injection
    status: req.query.status,
  });
  res.json(orders);
});

app.post("/login-safe", async (req: Request, res: Response) => {
  // ok: javascript.express.nosql-operator-injection
  const user = await User.findOne({ email: String(req.body.email) });
  res.json({ found: Boolean(user) });
});

app.get("/orders-safe", async (req: Request, res: Response) => {
  // ok: javascript.express.nosql-operator-injection
  const orders = await Order.find({ status: "open" });
  res.json(orders);
});
