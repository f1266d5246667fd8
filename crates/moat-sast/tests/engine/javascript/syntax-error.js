function broken(items) {
  const total = ;
  return total;
}

// ruleid: syntax-error-eval
eval(userInput);

// ok: syntax-error-eval
JSON.parse(userInput);
