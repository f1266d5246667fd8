import { execSync } from "node:child_process";
import { Body, Controller, Injectable, Post } from "@nestjs/common";

interface Formula {
  readonly name: string;
  source: string;
  evaluate?(scope: Record<string, number>): number;
}

type Settings = { retries: number; verbose?: boolean };

enum Mode {
  Safe = "safe",
  Unsafe = "unsafe",
}

class Interpreter<TResult = unknown> implements Pick<Formula, "source"> {
  constructor(public source: string, private readonly mode: Mode = Mode.Safe) {}

  run(): TResult {
    if (this.mode === Mode.Unsafe) {
      // ruleid: typescript-syntax-eval
      return eval(this.source) as TResult;
    }
    // ok: typescript-syntax-eval
    return undefined as TResult;
  }
}

function evaluateAll<T extends Formula>(formulas: readonly T[]): Map<string, number> {
  const results = new Map<string, number>();
  for (const formula of formulas) {
    // ruleid: typescript-syntax-eval
    results.set(formula.name, Number(eval(formula.source)) satisfies number);
  }
  return results;
}

function loadSettings(text: string, fallback: Settings): Settings {
  // ruleid: typescript-syntax-unchecked-json-cast
  const parsed = JSON.parse(text) as Settings;
  // ok: typescript-syntax-unchecked-json-cast
  const raw: unknown = JSON.parse(text);
  // ok: typescript-syntax-unchecked-json-cast
  const copy = structuredClone(fallback) as Settings;
  return { ...fallback, ...parsed, ...(raw as object) };
}

function legacyBridge(payload: unknown, hooks: Map<string, unknown>): void {
  // ruleid: typescript-syntax-cast-to-any
  (payload as any).run();
  // ruleid: typescript-syntax-cast-to-any
  const handler = hooks.get("legacy") as any;
  // ok: typescript-syntax-cast-to-any
  const typed = hooks.get("typed") as (() => void) | undefined;
  // ok: typescript-syntax-cast-to-any
  const opaque = payload as unknown;
  handler?.(typed, opaque);
}

@Controller("admin")
export class AdminController {
  @Post("run")
  run(@Body() body: { command: string }): string {
    // ruleid: typescript-syntax-controller-exec
    return execSync(body.command).toString();
  }
}

@Injectable()
export class MaintenanceService {
  rotateLogs(directory: string): string {
    // ok: typescript-syntax-controller-exec
    return execSync(`logrotate ${directory}`).toString();
  }
}

export { Interpreter, evaluateAll, loadSettings, legacyBridge };
