function broken(items: string[]): number {
  const total: number = ;
  return total;
}

declare const userInput: string;

// ruleid: syntax-error-eval
eval(userInput);

// ok: syntax-error-eval
JSON.parse(userInput);
