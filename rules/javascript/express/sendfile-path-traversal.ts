import express, { Request, Response } from "express";
import path from "path";

const app = express();
const PUBLIC = path.join(__dirname, "public");

app.get("/files/:name", (req: Request, res: Response) => {
  // ruleid: javascript.express.sendfile-path-traversal
  res.sendFile(path.join(PUBLIC, req.params.name));
});

app.get("/export", (req: Request, res: Response) => {
  // ruleid: javascript.express.sendfile-path-traversal
  res.download(`${PUBLIC}/exports/${req.query.file}`, "export.csv");
});

app.get("/safe/:name", (req: Request, res: Response) => {
  // ok: javascript.express.sendfile-path-traversal
  res.sendFile(req.params.name, { root: PUBLIC });
});

app.get("/logo", (req: Request, res: Response) => {
  // ok: javascript.express.sendfile-path-traversal
  res.sendFile(path.join(PUBLIC, "logo.png"));
});

app.get("/base/:name", (req: Request, res: Response) => {
  // ok: javascript.express.sendfile-path-traversal
  res.sendFile(path.join(PUBLIC, path.basename(req.params.name)));
});
