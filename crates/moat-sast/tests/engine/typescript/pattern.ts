import type { Model } from "./types";

function calculate(expression: unknown): number {
  // ruleid: pattern-eval-call
  return eval(expression as string) as number;
}

function calculateMultiline(source: string) {
  // ruleid: pattern-eval-call
  const value = eval(
    source
  );
  return value;
}

function parse(expression: string) {
  // ok: pattern-eval-call
  return JSON.parse(expression);
}

function switchToInference(model: Model) {
  // ok: pattern-eval-call
  model.eval();
}

function evaluateAll(expressions: string[]) {
  // ok: pattern-eval-call
  return evaluate(expressions);
}

function render(html: string, footer: string) {
  // ruleid: pattern-document-write
  document.write(html);
  // ok: pattern-document-write
  document.write(html, footer);
  // ok: pattern-document-write
  document.writeln(html);
  // ok: pattern-document-write
  element.write(html);
}

// ruleid: pattern-tls-reject-disabled
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";

// ruleid: pattern-tls-reject-disabled
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'

// ok: pattern-tls-reject-disabled
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "1";

// ok: pattern-tls-reject-disabled
process.env.NODE_ENV = "0";
